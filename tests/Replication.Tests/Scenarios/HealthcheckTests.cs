using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>The image's HEALTHCHECK: a standby is healthy only while its WAL receiver streams.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class HealthcheckTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    // The image checks every 5 s; a few intervals are plenty.
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Standby_is_healthy_only_while_it_streams() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a standby waiting for a primary that does not exist yet
        var (primary, standby) = await ClusterSetup.AddStandbyBeforeItsPrimaryAsync(cluster, "standby-1", ct);

        // Then the engine has run the healthcheck and does not call it healthy; the script exits 1
        var failures = await Wait.UntilAsync(
            "the engine to record standby-1's first health check",
            async token =>
            {
                var health = (await cluster.Engine.Client.Containers.InspectContainerAsync(standby.ContainerId, token)).State?.Health;
                return health?.Log is { Count: > 0 } results
                    ? Probe<string>.Done($"{health.Status}: exit codes {string.Join(",", results.Select(r => r.ExitCode))}")
                    : Probe<string>.NotYet($"status '{health?.Status}', no check run yet");
            },
            HealthTimeout,
            ct);
        Assert.Matches("^starting: exit codes [1-9][0-9]*(,[1-9][0-9]*)*$", failures);
        Assert.Equal(1L, (await HealthcheckScriptAsync(cluster, standby, ct)).ExitCode);

        // When the primary starts and the standby streams from it
        await primary.RecreateAsync(null, ct);
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());

        // Then the script exits 0 and the engine reports it healthy
        Assert.Equal(0L, (await HealthcheckScriptAsync(cluster, standby, ct)).ExitCode);
        await Wait.UntilAsync(
            "the engine to report standby-1 healthy",
            async token =>
            {
                var status = await standby.HealthStatusAsync(token);
                return status == "healthy" ? Probe<bool>.Done(true) : Probe<bool>.NotYet($"status '{status}'");
            },
            HealthTimeout,
            ct);

        // When the primary stops, Then the standby, still up and in recovery, fails the check again
        await primary.StopAsync(ct);
        await Wait.UntilAsync(
            "replication-healthcheck.sh on standby-1 to fail once its primary is gone",
            async token => (await HealthcheckScriptAsync(cluster, standby, token)).ExitCode == 1,
            HealthTimeout,
            ct);
        Assert.True(await standby.IsInRecoveryAsync(ct));
    });

    private static Task<ExecResult> HealthcheckScriptAsync(ReplicationCluster cluster, PostgresNode node, CancellationToken ct) =>
        ContainerExec.RunAsync(cluster.Engine, node.ContainerId, ["replication-healthcheck.sh"], ct);
}
