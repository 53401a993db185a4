using Docker.DotNet.Models;
using PostgresReplication;
using Replication.Tests.Scenarios;
using Xunit.Abstractions;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// The overlay of the tested major (PG_TEST_VERSION) run as specified: its StatefulSets' container
/// specs (image, environment, secrets, command, probes, security context) run on Docker as a
/// cluster would run them. The manifests name the image postgres-replication:NN; the test image,
/// built from the same docker/ directory, runs in its place.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class StatefulSetRunTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    /// <summary>
    /// The pod network of the cluster the manifests run on: kubeadm's and flannel's default, which is
    /// the manifests' REPLICATION_ALLOWED_CIDR placeholder. On another cluster, both change together.
    /// </summary>
    private const string PodCidr = "10.244.0.0/16";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task StatefulSets_run_as_specified_stream_to_every_standby_and_their_probes_succeed()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var ct = deadline.Token;

        // Given the overlay of the tested major
        var manifests = KubernetesManifests.Load(await KustomizeRender.RenderAsync(image.PgVersion, ct));
        Assert.All(manifests.StatefulSets, set => Assert.Equal(
            $"postgres-replication:{image.PgVersion}", Assert.Single(set.Spec.Template.Spec.Containers).Image));
        await using var cluster = new StatefulSetsOnDocker(image.Engine, image.NewRunId(), manifests, _ => image.Image, PodCidr, output.WriteLine);
        try
        {
            // When its StatefulSets run: every pod passes its startup probe, then its readiness probe
            await cluster.StartAsync(ReadyTimeout, ct);
            var primary = cluster.Pod("primary-0");
            var standbys = cluster.Pods.Where(p => p.Spec.StatefulSet == "standby").ToList();
            Assert.Equal(["standby-0", "standby-1"], standbys.Select(p => p.Name));

            // Then each standby streams from the primary under the slot its pod name gives
            var streaming = await ContainerSql.StreamingStandbysAsync(image.Engine, primary.ContainerId, ct);
            Assert.Equal(["standby_0", "standby_1"], streaming.Order(StringComparer.Ordinal));
            foreach (var standby in standbys)
            {
                Assert.Equal($"streaming {SlotName.FromHostname(standby.Name)}", await ContainerSql.WalReceiverAsync(image.Engine, standby.ContainerId, ct));
            }

            // And a row written on the primary reaches both
            await ContainerSql.QueryAsync(image.Engine, primary.ContainerId, "CREATE TABLE k8s_check AS SELECT 'from primary-0' AS note", ct);
            var lsn = await ContainerSql.ScalarAsync(image.Engine, primary.ContainerId, "SELECT pg_current_wal_lsn()", ct);
            foreach (var standby in standbys)
            {
                await ContainerSql.WaitUntilReplayedAsync(image.Engine, standby.ContainerId, standby.Name, lsn, ReadyTimeout, ct);
                Assert.Equal("from primary-0", await ContainerSql.ScalarAsync(image.Engine, standby.ContainerId, "SELECT note FROM k8s_check", ct));
            }

            // And every probe of every pod answers as Kubernetes reads success: exit 0 within its timeout
            foreach (var pod in cluster.Pods)
            {
                foreach (var (which, probe) in new[] { ("startup", pod.Spec.Startup), ("readiness", pod.Spec.Readiness), ("liveness", pod.Spec.Liveness) })
                {
                    Assert.True(probe is not null, $"{pod.Name} has no {which} probe");
                    var answer = await cluster.ProbeAsync(pod, probe, ct);
                    output.WriteLine($"{pod.Name} {which} probe ({probe}): {answer}");
                    Assert.True(answer.Succeeded, $"{pod.Name}'s {which} probe ({probe}) failed: {answer}");
                }

                // And the server runs as the pod's user, never as root
                var owner = await ContainerExec.RunAsync(image.Engine, pod.ContainerId, ["stat", "-c", "%u", "/proc/1"], ct);
                Assert.Equal("999", owner.Stdout.Trim());
            }
        }
        catch
        {
            output.WriteLine(await cluster.DumpLogsAsync(30, CancellationToken.None));
            throw;
        }
    }

    [Fact]
    public async Task Standbys_leave_readiness_while_primary_0_is_down_and_stream_again_after_it_restarts()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var ct = deadline.Token;

        // Given the overlay of the tested major running, every standby streaming
        var manifests = KubernetesManifests.Load(await KustomizeRender.RenderAsync(image.PgVersion, ct));
        await using var cluster = new StatefulSetsOnDocker(image.Engine, image.NewRunId(), manifests, _ => image.Image, PodCidr, output.WriteLine);
        try
        {
            await cluster.StartAsync(ReadyTimeout, ct);
            var primary = cluster.Pod("primary-0");
            var standbys = cluster.Pods.Where(p => p.Spec.StatefulSet == "standby").ToList();

            // When primary-0's container stops, as its pod's does when it restarts
            await image.Engine.Client.Containers.StopContainerAsync(
                primary.ContainerId, new ContainerStopParameters { WaitBeforeKillSeconds = 30 }, ct);

            // Then each standby's readiness probe, which decides whether it is an endpoint of
            // postgres-ro, fails, while its liveness probe still succeeds (not restarted for waiting)
            foreach (var standby in standbys)
            {
                output.WriteLine($"{standby.Name} readiness with primary-0 down: {await ProbeUntilAsync(cluster, standby, succeeded: false, ct)}");
                Assert.True((await cluster.ProbeAsync(standby, standby.Spec.Liveness!, ct)).Succeeded, $"{standby.Name}'s liveness probe failed");
            }

            // When primary-0's container starts again on its volume
            await image.Engine.Client.Containers.StartContainerAsync(primary.ContainerId, new ContainerStartParameters(), ct);

            // Then every standby streams from it again, by itself, and is ready again
            var streaming = await Wait.UntilAsync(
                "standby_0 and standby_1 to stream from primary-0 again",
                async token => await ContainerSql.StreamingStandbysAsync(image.Engine, primary.ContainerId, token) is { Count: 2 } names
                    ? Probe<IReadOnlySet<string>>.Done(names)
                    : Probe<IReadOnlySet<string>>.NotYet("not both streaming"),
                ReadyTimeout,
                ct);
            Assert.Equal(["standby_0", "standby_1"], streaming.Order(StringComparer.Ordinal));
            foreach (var standby in standbys)
            {
                output.WriteLine($"{standby.Name} readiness after primary-0 restarted: {await ProbeUntilAsync(cluster, standby, succeeded: true, ct)}");
            }
        }
        catch
        {
            output.WriteLine(await cluster.DumpLogsAsync(30, CancellationToken.None));
            throw;
        }
    }

    [Fact]
    public async Task StatefulSet_whose_standbys_name_no_primary_never_becomes_ready()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var ct = deadline.Token;

        // Given the overlay with PRIMARY_HOST naming no Service, as a typo would (and the wait for it cut to 5 s)
        var manifests = KubernetesManifests.Load(await KustomizeRender.RenderAsync(image.PgVersion, ct, """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: standby
            spec:
              template:
                spec:
                  containers:
                    - name: postgres
                      env:
                        - name: PRIMARY_HOST
                          value: postgres-primary
                        - name: PRIMARY_WAIT_TIMEOUT
                          value: "5"
            """));
        await using var cluster = new StatefulSetsOnDocker(image.Engine, image.NewRunId(), manifests, _ => image.Image, PodCidr, output.WriteLine);

        // When it runs, Then a standby's container exits before its startup probe ever succeeds, and says why
        var failure = await Assert.ThrowsAsync<ContainerExitedException>(() => cluster.StartAsync(ReadyTimeout, ct));
        output.WriteLine(failure.Message);
        Assert.StartsWith("standby-", failure.Node, StringComparison.Ordinal);
        Assert.Contains(failure.LastLogLines, line => line.Contains("postgres-primary:5432 still unreachable", StringComparison.Ordinal));
    }

    /// <summary>Runs a pod's readiness probe, as the kubelet does every few seconds, until it answers as expected.</summary>
    private static Task<ProbeAnswer> ProbeUntilAsync(StatefulSetsOnDocker cluster, RunningPod pod, bool succeeded, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{pod.Name}'s readiness probe to {(succeeded ? "succeed" : "fail")}",
            async token => await cluster.ProbeAsync(pod, pod.Spec.Readiness!, token) is var answer && answer.Succeeded == succeeded
                ? Probe<ProbeAnswer>.Done(answer)
                : Probe<ProbeAnswer>.NotYet(answer.ToString()),
            ReadyTimeout,
            ct);
}
