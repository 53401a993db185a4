using k8s.Models;
using PostgresReplication;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// What the manifests promise, read from every rendered overlay: the settings that keep the known
/// orchestrator failures away (a probe killing a replica in the middle of its clone, standbys
/// without a slot of their own, slots named after random pod names), and the rest of the issue's
/// list. The run on Docker (<see cref="StatefulSetRunTests"/>) shows the same settings at work.
/// </summary>
public sealed class ManifestPolicyTests
{
    private const string PodCidrPlaceholder = "10.244.0.0/16";

    public static TheoryData<int> Majors => [.. KustomizeRender.Majors];

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task No_probe_can_kill_a_standby_while_it_clones(int major)
    {
        var manifests = await RenderAsync(major);
        foreach (var set in manifests.StatefulSets)
        {
            var pod = PodSpec.For(set, 0, manifests);
            // Until the startup probe first succeeds, the kubelet runs neither liveness nor readiness.
            Assert.NotNull(pod.Startup);
            Assert.NotNull(pod.Liveness);
            // Liveness asks only whether the server answers: a standby that waits for its primary is alive.
            Assert.Equal("pg_isready", pod.Liveness.Command[0]);
            Assert.True(pod.Liveness.Budget >= TimeSpan.FromMinutes(1), $"{set.Metadata.Name}'s liveness gives up after {pod.Liveness.Budget}");
        }

        // The clone runs inside the standby's startup window: a day, for a clone of any size.
        Assert.True(PodSpec.For(manifests.StatefulSet("standby"), 0, manifests).Startup!.Budget >= TimeSpan.FromHours(24));
    }

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task Each_standby_pod_streams_under_a_slot_named_after_it_on_a_volume_of_its_own(int major)
    {
        var manifests = await RenderAsync(major);
        var standbys = manifests.StatefulSet("standby");
        var pods = Enumerable.Range(0, 3).Select(ordinal => PodSpec.For(standbys, ordinal, manifests)).ToList();

        // The hostname is the pod's name, and no REPLICATION_SLOT overrides the slot it gives
        Assert.Equal(["standby_0", "standby_1", "standby_2"], pods.Select(p => SlotName.FromHostname(p.Name)));
        Assert.All(pods, p => Assert.Null(p.Variable("REPLICATION_SLOT")));
        // Its data on a claim template: the StatefulSet controller makes one volume per pod
        // (data-standby-0...), so a restarted or rescheduled standby resumes instead of cloning anew
        Assert.Equal("data", Assert.Single(standbys.Spec.VolumeClaimTemplates).Metadata.Name);
        Assert.All(pods, p => Assert.Equal("data", Assert.Single(p.Claims).Claim));
        Assert.Equal("postgres-rw", pods[0].Variable("PRIMARY_HOST"));
        Assert.Equal("standby", pods[0].Variable("REPLICATION_ROLE"));
    }

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task Services_route_writes_to_the_primary_and_reads_to_streaming_standbys(int major)
    {
        var manifests = await RenderAsync(major);
        var primary = PodSpec.For(manifests.StatefulSet("primary"), 0, manifests);
        var standby = PodSpec.For(manifests.StatefulSet("standby"), 0, manifests);

        Assert.Equal(["postgres-rw", "primary", "primary-0.primary"], primary.DnsNames);
        Assert.Equal(["postgres-ro", "standby", "standby-0.standby"], standby.DnsNames);
        // A pod is in its Service while the role-aware healthcheck passes: a primary that accepts
        // connections, a standby that streams.
        Assert.All(new[] { primary, standby }, pod => Assert.Equal(["replication-healthcheck.sh"], pod.Readiness!.Command));
        Assert.Equal(1, manifests.StatefulSet("primary").Spec.Replicas);
    }

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task The_server_never_runs_as_root(int major)
    {
        var manifests = await RenderAsync(major);
        foreach (var set in manifests.StatefulSets)
        {
            var security = PodSpec.For(set, 0, manifests).Security;
            Assert.Equal("999:999", security.User);
            Assert.Equal(999, security.FsGroup);
            Assert.True(set.Spec.Template.Spec.SecurityContext.RunAsNonRoot);
            Assert.True(security.NoNewPrivileges);
            Assert.True(security.ReadOnlyRootFilesystem);
            Assert.Equal(["ALL"], security.CapabilitiesDropped);
            Assert.Empty(security.CapabilitiesAdded);
        }
    }

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task Every_overlay_runs_its_major_with_PGDATA_below_the_volume_where_that_image_keeps_it(int major)
    {
        var manifests = await RenderAsync(major);
        var layout = OfflineBaseLayout.For(major);
        foreach (var set in manifests.StatefulSets)
        {
            var pod = PodSpec.For(set, 0, manifests);
            Assert.Equal($"postgres-replication:{major}", pod.Image);
            Assert.Equal(layout.Volume, Assert.Single(pod.Claims).MountPath);
            // initdb and pg_basebackup must own the directory they fill; a volume's root is root's.
            var pgdata = pod.Variable("PGDATA") ?? layout.PgData;
            Assert.StartsWith(layout.Volume + "/", pgdata, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task Pods_spread_over_nodes_request_resources_and_have_disruption_budgets(int major)
    {
        var manifests = await RenderAsync(major);
        foreach (var set in manifests.StatefulSets)
        {
            var spec = set.Spec.Template.Spec;
            var term = Assert.Single(spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution).PodAffinityTerm;
            Assert.Equal("kubernetes.io/hostname", term.TopologyKey);
            Assert.Equal("postgres-replication", term.LabelSelector.MatchLabels["app.kubernetes.io/name"]);
            Assert.Contains("cpu", spec.Containers[0].Resources.Requests.Keys);
            Assert.Contains("memory", spec.Containers[0].Resources.Requests.Keys);
            Assert.Equal(PodCidrPlaceholder, PodSpec.For(set, 0, manifests).Variable("REPLICATION_ALLOWED_CIDR"));
            var budget = Assert.Single(manifests.Objects.OfType<V1PodDisruptionBudget>(), b => b.Metadata.Name == set.Metadata.Name);
            Assert.Equal(set.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        }
    }

    private static async Task<KubernetesManifests> RenderAsync(int major)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return KubernetesManifests.Load(await KustomizeRender.RenderAsync(major, deadline.Token));
    }
}
