using k8s.Models;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// deploy/kubernetes/ha: Patroni on the Kubernetes store, rendered per major as
/// <c>kubectl apply -k ha/overlays/NN</c> would send it. No API server runs here, so what is
/// checked is what the files say: both validators, the RBAC Patroni needs, and Services that
/// follow the role label Patroni sets.
/// </summary>
public sealed class HaManifestTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static TheoryData<int> Majors => [.. KustomizeRender.HaMajors];

    [Fact]
    public void There_is_an_HA_overlay_for_every_tested_PostgreSQL_major() =>
        Assert.Equal([15, 17, 18], KustomizeRender.HaMajors);

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task Every_document_of_the_HA_overlay_passes_both_validators(int major)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var yaml = await KustomizeRender.RenderHaAsync(major, deadline.Token);

        var manifests = KubernetesManifests.Load(yaml);
        var verdicts = await ModelsValidator.ValidateAsync(yaml, deadline.Token);
        Assert.Empty(verdicts.Where(v => v.Errors.Count > 0).Select(v => $"{v.Kind}/{v.Name}: {string.Join("; ", v.Errors)}"));
        Assert.Equal(manifests.Objects.Count, verdicts.Count);
        Assert.Equal(
            ["PodDisruptionBudget/postgres-ha", "Role/postgres-ha", "RoleBinding/postgres-ha", "Secret/postgres-ha", "Service/postgres-ha",
                "Service/postgres-ha-ro", "Service/postgres-ha-rw", "ServiceAccount/postgres-ha", "StatefulSet/postgres-ha"],
            verdicts.Select(v => $"{v.Kind}/{(v.Kind == V1Secret.KubeKind ? v.Name[..v.Name.LastIndexOf('-')] : v.Name)}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task Patroni_uses_the_Kubernetes_store_with_only_the_rights_it_needs_in_its_namespace(int major)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var manifests = KubernetesManifests.Load(await KustomizeRender.RenderHaAsync(major, deadline.Token));
        var set = manifests.StatefulSet("postgres-ha");
        var pod = set.Spec.Template.Spec;
        var env = pod.Containers.Single().Env.ToDictionary(e => e.Name);

        // The Kubernetes store, never etcd, with the pod's own identity and address
        Assert.False(env.ContainsKey("PATRONI_ETCD3_HOSTS"));
        Assert.Equal("metadata.namespace", env["PATRONI_KUBERNETES_NAMESPACE"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env["PATRONI_KUBERNETES_POD_IP"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.name", env["PATRONI_NAME"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("role", env["PATRONI_KUBERNETES_ROLE_LABEL"].Value);
        // Patroni finds its members by labels every pod carries
        var podLabels = set.Spec.Template.Metadata.Labels;
        Assert.Equal("{app.kubernetes.io/name: postgres-ha, cluster-name: postgres-ha}", env["PATRONI_KUBERNETES_LABELS"].Value);
        Assert.Equal("postgres-ha", podLabels["app.kubernetes.io/name"]);
        Assert.Equal("postgres-ha", podLabels["cluster-name"]);
        // Secrets from files, the REST API authenticated
        Assert.Equal("/run/secrets/postgres-ha/patroni-restapi-password", env["PATRONI_RESTAPI_PASSWORD_FILE"].Value);
        Assert.False(env.ContainsKey("POSTGRES_PASSWORD"));

        // The pod runs as its ServiceAccount, bound to a namespaced Role with what Patroni calls
        Assert.Equal("postgres-ha", pod.ServiceAccountName);
        Assert.True(pod.AutomountServiceAccountToken);
        var role = manifests.Objects.OfType<V1Role>().Single();
        var binding = manifests.Objects.OfType<V1RoleBinding>().Single();
        Assert.Equal(("Role", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Equal(("ServiceAccount", "postgres-ha"), (binding.Subjects.Single().Kind, binding.Subjects.Single().Name));
        Assert.Empty(manifests.Objects.OfType<V1ClusterRole>());
        var lockVerbs = new HashSet<string> { "create", "get", "list", "patch", "update", "watch", "delete" };
        Assert.Subset(Verbs(role, "configmaps"), lockVerbs);
        Assert.Subset(Verbs(role, "endpoints"), lockVerbs);
        Assert.Subset(Verbs(role, "pods"), new HashSet<string> { "get", "list", "patch", "update", "watch" });
        Assert.DoesNotContain("create", Verbs(role, "pods"));

        // Never root, as the plain manifests
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(999, pod.SecurityContext.RunAsUser);
    }

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task The_rw_and_ro_Services_follow_the_role_label_Patroni_sets(int major)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var manifests = KubernetesManifests.Load(await KustomizeRender.RenderHaAsync(major, deadline.Token));
        var selectors = manifests.Services.ToDictionary(s => s.Metadata.Name, s => s.Spec.Selector);

        // Patroni 3 (bookworm, PostgreSQL 15) labels its leader master, Patroni 4 primary
        var leaderValue = major == 15 ? "master" : "primary";
        Assert.Equal(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "postgres-ha", ["role"] = leaderValue }, selectors["postgres-ha-rw"]);
        Assert.Equal(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "postgres-ha", ["role"] = "replica" }, selectors["postgres-ha-ro"]);
        Assert.Equal("None", manifests.Services.Single(s => s.Metadata.Name == "postgres-ha").Spec.ClusterIP);
        Assert.Equal("postgres-ha", manifests.StatefulSet("postgres-ha").Spec.ServiceName);
        Assert.Equal(3, manifests.StatefulSet("postgres-ha").Spec.Replicas);
    }

    private static HashSet<string> Verbs(V1Role role, string resource) =>
        [.. role.Rules.Where(r => r.Resources.Contains(resource)).SelectMany(r => r.Verbs)];
}
