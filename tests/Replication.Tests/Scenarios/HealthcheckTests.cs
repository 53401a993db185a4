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

    [Fact]
    public async Task Standby_whose_replication_user_comes_from_a_file_is_healthy_while_it_streams()
    {
        using var secrets = new HostFolder().Write("replication-user", "streamer\n");
        var fromFile = new Dictionary<string, string?>
        {
            ["REPLICATION_USER"] = null,
            ["REPLICATION_USER_FILE"] = "/run/secrets/replication-user",
        };
        var mounted = new NodeContainerOptions { Binds = [secrets.BindAt("/run/secrets")] };
        await image.RunClusterAsync(
            output,
            options => options with
            {
                NodeEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string?>> { ["primary"] = fromFile, ["standby-1"] = fromFile },
                NodeContainers = new Dictionary<string, NodeContainerOptions> { ["primary"] = mounted, ["standby-1"] = mounted },
            },
            async (cluster, ct) =>
            {
                // Given a primary and a standby whose REPLICATION_USER_FILE names "streamer"
                var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
                Assert.Equal("streamer", await primary.ScalarAsync<string>("SELECT usename FROM pg_stat_replication", ct));

                // Then the healthcheck, reading the same file, finds the standby streaming
                var check = await HealthcheckScriptAsync(cluster, standby, ct);
                Assert.Equal(0L, check.ExitCode);
                Assert.Equal("streaming", check.Stdout.Trim());
            });
    }

    [Fact]
    public Task Promoted_standby_is_a_healthy_primary() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a streaming standby, still started with REPLICATION_ROLE=standby
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);

        // When its primary is gone and it is promoted
        await primary.StopAsync(ct);
        await standby.ExecuteAsync("SELECT pg_promote()", ct);

        // Then the healthcheck follows the server, not the environment: a primary, healthy
        await Wait.UntilAsync(
            "replication-healthcheck.sh on the promoted standby-1 to report a healthy primary",
            async token =>
            {
                var check = await HealthcheckScriptAsync(cluster, standby, token);
                return check.ExitCode == 0 && check.Stdout.Trim() == "primary"
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet($"exit {check.ExitCode}: {check.Stdout.Trim()}");
            },
            HealthTimeout,
            ct);
        Assert.False(await standby.IsInRecoveryAsync(ct));
    });

    [Fact]
    public Task Healthcheck_killed_on_its_timeout_leaves_no_child_that_crashes_the_server() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary, a session kept open on it, and a stand-in psql that answers as a refused
        // connection does (exit 2), once told to, writing its PID first
        var primary = await cluster.AddPrimaryAsync(ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        await using var kept = new KeptConnection(() => primary.Endpoint);
        var backend = await kept.ScalarAsync<int>("SELECT pg_backend_pid()", ct);
        await RootShellAsync(cluster, primary, """
            mkdir -p /tmp/standin
            printf '%s\n' '#!/bin/bash' 'echo $$ >/tmp/standin/pid' 'until [ -e /tmp/standin/go ]; do sleep 0.05; done' 'exit 2' >/tmp/standin/psql
            chmod +x /tmp/standin/psql
            """, ct);

        // When the healthcheck, writing into a pipe as under the engine, is killed while psql runs,
        // as the engine kills it on its timeout, and the stand-in then exits
        await RootShellAsync(cluster, primary, """
            mkfifo /tmp/standin/out
            cat /tmp/standin/out >/dev/null & reader=$!
            PATH=/tmp/standin:$PATH replication-healthcheck.sh >/tmp/standin/out & check=$!
            for _ in $(seq 600); do [ -s /tmp/standin/pid ] && break; sleep 0.05; done
            [ -s /tmp/standin/pid ] || { echo "the stand-in psql never started"; exit 1; }
            kill -9 "$check" "$reader"
            # Reaped here, as the engine reaps the script it ran: a zombie left to the server would crash it too.
            wait "$check" "$reader" || true
            touch /tmp/standin/go
            """, ct);
        var standin = (await RootShellAsync(cluster, primary, "cat /tmp/standin/pid", ct)).Trim();
        await Wait.UntilAsync(
            $"the stand-in psql (PID {standin}) to exit and be reaped",
            async token => (await ContainerExec.RunAsync(cluster.Engine, primary.ContainerId, ["test", "-e", $"/proc/{standin}"], token)).ExitCode == 1,
            HealthTimeout,
            ct);

        // Then the server did not take the orphan's exit for a crashed backend: the session survives
        Assert.Equal(backend, await kept.ScalarAsync<int>("SELECT pg_backend_pid()", ct));
    });

    private static async Task<string> RootShellAsync(ReplicationCluster cluster, PostgresNode node, string script, CancellationToken ct)
    {
        var result = await ContainerExec.RunAsync(cluster.Engine, node.ContainerId, ["bash", "-Eeuo", "pipefail", "-c", script], ct);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        return result.Stdout;
    }

    private static Task<ExecResult> HealthcheckScriptAsync(ReplicationCluster cluster, PostgresNode node, CancellationToken ct) =>
        ContainerExec.RunAsync(cluster.Engine, node.ContainerId, ["replication-healthcheck.sh"], ct);
}
