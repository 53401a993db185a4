using k8s.Models;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// How a pod template becomes a container, on hand-made StatefulSets: the parts the project's own
/// manifests do not use are still read as Kubernetes reads them, or refused.
/// </summary>
public sealed class PodSpecTests
{
    [Fact]
    public void Command_args_and_environment_sources_are_read_as_Kubernetes_reads_them()
    {
        // Given a container with a command, args, a secret reference and the pod's name as a variable
        var set = StatefulSet(new V1Container
        {
            Name = "postgres",
            Image = "postgres-replication:18",
            Command = ["replication-entrypoint.sh"],
            Args = ["postgres", "-c", "max_connections=50"],
            Env =
            [
                new V1EnvVar { Name = "REPLICATION_PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "passwords", Key = "replication" } } },
                new V1EnvVar { Name = "REPLICATION_SLOT", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            ],
        });
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "passwords" }, Data = new Dictionary<string, byte[]> { ["replication"] = "s3cret"u8.ToArray() } };

        // When the pod of ordinal 2 is made
        var pod = PodSpec.For(set, 2, new KubernetesManifests([set, secret]));

        // Then it is named after the StatefulSet and ordinal, and runs what the container says
        Assert.Equal("db-2", pod.Name);
        Assert.Equal(["replication-entrypoint.sh"], pod.Command);
        Assert.Equal(["postgres", "-c", "max_connections=50"], pod.Args);
        Assert.Equal("s3cret", pod.Variable("REPLICATION_PASSWORD"));
        Assert.Equal("db-2", pod.Variable("REPLICATION_SLOT"));
    }

    [Theory]
    [InlineData(0b100_000_000, 999, 0b100_100_000)]   // 0400 with an fsGroup: 0440, the group may read
    [InlineData(0b110_100_100, null, 0b110_100_100)]  // 0644 without: as written
    public void Secret_files_get_the_mode_the_kubelet_gives_them(int mode, int? fsGroup, int expected) =>
        Assert.Equal((UnixFileMode)expected, PodSpec.SecretFileMode(mode, fsGroup));

    [Fact]
    public void A_pod_that_asks_for_a_non_root_user_but_names_none_is_refused_as_the_kubelet_refuses_it()
    {
        var set = StatefulSet(new V1Container { Name = "postgres", Image = "postgres-replication:18" });
        set.Spec.Template.Spec.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true };

        var refusal = Assert.Throws<InvalidOperationException>(() => PodSpec.For(set, 0, new KubernetesManifests([set])));
        Assert.Contains("runAsNonRoot", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_probe_that_is_not_an_exec_probe_is_not_run_differently_but_refused()
    {
        var set = StatefulSet(new V1Container
        {
            Name = "postgres",
            Image = "postgres-replication:18",
            LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 5432 } },
        });

        Assert.Throws<NotSupportedException>(() => PodSpec.For(set, 0, new KubernetesManifests([set])));
    }

    private static V1StatefulSet StatefulSet(V1Container container) => new()
    {
        Metadata = new V1ObjectMeta { Name = "db" },
        Spec = new V1StatefulSetSpec
        {
            ServiceName = "db",
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "db" } },
                Spec = new V1PodSpec { Containers = [container] },
            },
        },
    };
}
