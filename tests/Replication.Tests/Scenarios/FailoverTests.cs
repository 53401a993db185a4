using System.Collections.Concurrent;
using Npgsql;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>Unplanned failovers with <see cref="RoleChange"/>: the primary is killed or cut off, a standby takes over.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class FailoverTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private const int Trials = 5;
    private const int AcknowledgedBeforeKill = 20;
    private const string SynchronousStandbys = "FIRST 1 (standby_1, standby_2)";

    [Theory]
    [InlineData("on")]
    [InlineData("remote_apply")]
    public Task Failover_of_a_synchronous_primary_loses_no_acknowledged_commit(string synchronousCommit) => image.RunClusterAsync(
        output,
        NodeEnvironment.For("primary", ("SYNCHRONOUS_STANDBY_NAMES", SynchronousStandbys), ("SYNCHRONOUS_COMMIT", synchronousCommit)),
        async (cluster, ct) =>
        {
            // Given a synchronous primary and two standbys, one of them its synchronous standby
            var (primary, standbys) = await ClusterSetup.StartWithStandbysAsync(cluster, output, ["standby-1", "standby-2"], ct);
            var topology = new Topology(primary, standbys);
            await primary.ExecuteAsync("CREATE TABLE payments (trial int, id int, PRIMARY KEY (trial, id))", ct);

            for (var trial = 1; trial <= Trials; trial++)
            {
                // The image makes only a node started as the primary synchronous; a promoted
                // standby is made so here, as an operator would after a failover.
                await MakeSynchronousAsync(topology.Primary, synchronousCommit, ct);

                // When a client commits one row per transaction, and the primary is killed once
                // 20 commits were acknowledged, and the standby holding the most WAL is promoted
                var acknowledged = new ConcurrentQueue<int>();
                using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var load = CommitOneRowPerTransactionAsync(topology.Primary, trial, acknowledged, stopLoad.Token);
                await WaitUntilAcknowledgedAsync(topology.Primary, load, acknowledged, AcknowledgedBeforeKill, ct);
                var result = await RoleChange.FailoverAsync(topology, targetStandby: null, force: false, output.WriteLine, ct);
                await stopLoad.CancelAsync();
                var loadEnded = await load;
                topology = result.Topology;

                // Then every acknowledged commit is on the new primary
                var ids = acknowledged.ToArray();
                var found = await topology.Primary.Endpoint.ScalarAsync<long>(
                    "SELECT count(*) FROM payments WHERE trial = @trial AND id = ANY(@ids)", ct, ("trial", trial), ("ids", ids));
                var rows = await topology.Primary.Endpoint.ScalarAsync<long>(
                    "SELECT count(*) FROM payments WHERE trial = @trial", ct, ("trial", trial));
                output.WriteLine(
                    $"trial {trial}: {ids.Length} commits acknowledged, {found} of them on {topology.Primary.Name}, " +
                    $"{rows} rows in all; the client stopped on: {loadEnded}; writable after {result.UntilWritable.TotalSeconds:0.00} s");
                Assert.Equal(ids.Length, found);
            }

            // And after the last trial every node holds the same rows
            await WalReplay.CatchUpAsync(topology.Primary, topology.Standbys, ct);
            var expected = await TableChecksum.OfAsync(topology.Primary, "payments", ct);
            foreach (var standby in topology.Standbys)
            {
                Assert.Equal(expected, await TableChecksum.OfAsync(standby, "payments", ct));
            }
        },
        TimeSpan.FromMinutes(5));

    [Fact]
    public Task Failover_never_promotes_past_a_synchronous_standby_that_is_slow_to_answer() => image.RunClusterAsync(
        output,
        NodeEnvironment.For("primary", ("SYNCHRONOUS_STANDBY_NAMES", "FIRST 1 (standby_1)"), ("SYNCHRONOUS_COMMIT", "on")),
        async (cluster, ct) =>
        {
            // Given a primary whose synchronous standby is standby-1, standby-2 being asynchronous
            var (primary, standbys) = await ClusterSetup.StartWithStandbysAsync(cluster, output, ["standby-1", "standby-2"], ct);
            var (synchronous, asynchronous) = (standbys[0], standbys[1]);
            var topology = new Topology(primary, standbys);
            await WaitUntilSynchronousAsync(primary, ct);
            await primary.ExecuteAsync("CREATE TABLE payments (trial int, id int, PRIMARY KEY (trial, id))", ct);

            // When the synchronous standby answers nothing (paused) for longer than a standby may take
            await synchronous.PauseAsync(ct);
            RoleChangeException refusal;
            try
            {
                refusal = await Assert.ThrowsAsync<RoleChangeException>(
                    () => RoleChange.FailoverAsync(topology, targetStandby: null, force: false, output.WriteLine, ct));
            }
            finally
            {
                await synchronous.UnpauseAsync(ct);
            }

            // Then the failover is refused before the kill: the primary still commits, through standby-1
            output.WriteLine(refusal.Message);
            Assert.False(await primary.IsInRecoveryAsync(ct));
            await WaitUntilSynchronousAsync(primary, ct);
            await primary.ExecuteAsync("INSERT INTO payments VALUES (0, 0)", ct);

            // When a client commits one row per transaction, standby-2 is cut off while 20 more
            // commits are acknowledged (so it is behind), standby-1 stalls (paused) for longer than
            // one connection attempt may take, and the primary fails over in the middle of the stall
            var acknowledged = new ConcurrentQueue<int>();
            using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = CommitOneRowPerTransactionAsync(primary, 1, acknowledged, stopLoad.Token);
            await WaitUntilAcknowledgedAsync(primary, load, acknowledged, AcknowledgedBeforeKill, ct);
            await asynchronous.DisconnectAsync(ct);
            await WaitUntilAcknowledgedAsync(primary, load, acknowledged, 2 * AcknowledgedBeforeKill, ct);
            await synchronous.PauseAsync(ct);
            await asynchronous.ReconnectAsync(ct);
            var stall = UnpauseAfterAsync(synchronous, SlowStandbyStall, ct);
            RoleChangeResult result;
            try
            {
                result = await RoleChange.FailoverAsync(topology, targetStandby: null, force: false, output.WriteLine, ct);
            }
            finally
            {
                await stall;
            }

            await stopLoad.CancelAsync();
            var loadEnded = await load;

            // Then the standby holding every acknowledged commit was promoted: none is missing
            var ids = acknowledged.ToArray();
            var found = await result.Topology.Primary.Endpoint.ScalarAsync<long>(
                "SELECT count(*) FROM payments WHERE trial = 1 AND id = ANY(@ids)", ct, ("ids", ids));
            output.WriteLine(
                $"{ids.Length} commits acknowledged, {found} of them on {result.Topology.Primary.Name}; the client stopped on: {loadEnded}");
            Assert.Equal(ids.Length, found);
        },
        TimeSpan.FromMinutes(5));

    [Fact]
    public Task Old_primary_rejoins_by_rewind_after_writes_the_new_primary_never_got() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary with two standbys that replayed 100 rows
        var (primary, standbys) = await ClusterSetup.StartWithStandbysAsync(cluster, output, ["standby-1", "standby-2"], ct);
        var (standby1, standby2) = (standbys[0], standbys[1]);
        await primary.ExecuteAsync("CREATE TABLE notes (id int PRIMARY KEY, note text); INSERT INTO notes SELECT g, 'before' FROM generate_series(1, 100) g;", ct);
        await WalReplay.CatchUpAsync(primary, standbys, ct);

        // When standby-1 is cut off from the network, the primary commits a row that only
        // standby-2 receives, and the primary dies while standby-1 is still cut off
        await standby1.DisconnectAsync(ct);
        await primary.ExecuteAsync("INSERT INTO notes VALUES (101, 'divergent')", ct);
        await WalReplay.CatchUpAsync(primary, standby2, ct);
        await primary.KillAsync(ct);
        await standby1.ReconnectAsync(ct);

        // And standby-1 is promoted although standby-2 holds more (forced: with the primary gone,
        // standby-2 may be synchronous), the old primary and standby-2 rejoining it
        var result = await RoleChange.FailoverAsync(new Topology(primary, standbys), "standby-1", force: true, output.WriteLine, ct);
        await standby1.ExecuteAsync("INSERT INTO notes VALUES (102, 'after the failover')", ct);
        await WalReplay.CatchUpAsync(standby1, result.Topology.Standbys, ct);

        // Then the old primary and standby-2 were rewound: the divergent row is gone from every
        // node, and each holds exactly the new primary's rows, on the new primary's timeline
        Assert.Equal(standby1, result.Topology.Primary);
        var expected = await TableChecksum.OfAsync(standby1, "notes", ct);
        Assert.StartsWith("101 rows", expected);
        foreach (var node in result.Topology.Nodes)
        {
            Assert.Equal(0L, await node.ScalarAsync<long>("SELECT count(*) FROM notes WHERE note = 'divergent'", ct));
        }

        foreach (var standby in new[] { primary, standby2 })
        {
            Assert.Equal(expected, await TableChecksum.OfAsync(standby, "notes", ct));
            var log = await standby.LogsAsync(500, ct);
            Assert.Contains("rewinding", log, StringComparison.Ordinal);
            Assert.DoesNotContain("cloning", log, StringComparison.Ordinal);
            output.WriteLine((await Probes.WaitUntilStreamingAsync(standby1, standby, ct)).ToString());
        }
    });

    /// <summary>
    /// One row per transaction on a kept connection, each id recorded once its commit returned;
    /// runs until the connection breaks (the primary was killed) or it is called off.
    /// </summary>
    /// <returns>What ended it.</returns>
    private static async Task<string> CommitOneRowPerTransactionAsync(
        PostgresNode primary, int trial, ConcurrentQueue<int> acknowledged, CancellationToken ct)
    {
        try
        {
            await using var connection = await primary.OpenConnectionAsync(ct);
            for (var id = 1; ; id++)
            {
                await using var insert = new NpgsqlCommand("INSERT INTO payments VALUES (@trial, @id)", connection);
                insert.Parameters.AddWithValue("trial", trial);
                insert.Parameters.AddWithValue("id", id);
                await insert.ExecuteNonQueryAsync(ct);
                acknowledged.Enqueue(id);
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The stall simulated: longer than one connection attempt may take (5 s), shorter than
    /// <see cref="StandbySurvey.AnswerTimeout"/>. Its length is the fault, not a wait for a condition.
    /// </summary>
    private static readonly TimeSpan SlowStandbyStall = TimeSpan.FromSeconds(8);

    private static async Task UnpauseAfterAsync(PostgresNode node, TimeSpan stall, CancellationToken ct)
    {
        try
        {
            await Task.Delay(stall, ct);
        }
        finally
        {
            await node.UnpauseAsync(CancellationToken.None);
        }
    }

    private static Task WaitUntilAcknowledgedAsync(
        PostgresNode primary, Task<string> load, ConcurrentQueue<int> acknowledged, int count, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{count} acknowledged commits on {primary.Name}",
            async _ => load.IsCompleted
                ? throw new WaitAbortedException($"the client stopped after {acknowledged.Count} commits: {await load}")
                : acknowledged.Count >= count,
            TimeSpan.FromSeconds(30),
            ct);

    private async Task MakeSynchronousAsync(PostgresNode primary, string synchronousCommit, CancellationToken ct)
    {
        // ALTER SYSTEM cannot share a transaction, so one statement per call.
        await primary.ExecuteAsync($"ALTER SYSTEM SET synchronous_standby_names = '{SynchronousStandbys}'", ct);
        await primary.ExecuteAsync($"ALTER SYSTEM SET synchronous_commit = '{synchronousCommit}'", ct);
        await primary.ExecuteAsync("SELECT pg_reload_conf()", ct);
        await WaitUntilSynchronousAsync(primary, ct);
    }

    private async Task WaitUntilSynchronousAsync(PostgresNode primary, CancellationToken ct)
    {
        var sync = await Wait.UntilAsync(
            $"a synchronous standby of {primary.Name} (sync_state 'sync')",
            async token =>
            {
                var names = await primary.ScalarAsync<string>(
                    "SELECT string_agg(application_name, ', ') FROM pg_stat_replication WHERE sync_state = 'sync'", token);
                return names is null ? Probe<string>.NotYet("no standby in sync_state 'sync'") : Probe<string>.Done(names);
            },
            TimeSpan.FromSeconds(30),
            ct);
        output.WriteLine($"synchronous standby of {primary.Name}: {sync}");
    }
}
