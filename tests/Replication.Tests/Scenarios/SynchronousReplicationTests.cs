using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>SYNCHRONOUS_STANDBY_NAMES and SYNCHRONOUS_COMMIT=remote_apply on the primary.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class SynchronousReplicationTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan CommitBound = TimeSpan.FromSeconds(2);

    private static readonly Func<ClusterOptions, ClusterOptions> SynchronousPrimary = NodeEnvironment.For(
        "primary",
        ("SYNCHRONOUS_STANDBY_NAMES", "FIRST 1 (standby_1)"),
        ("SYNCHRONOUS_COMMIT", "remote_apply"));

    [Fact]
    public Task Commit_returns_only_once_the_synchronous_standby_has_the_row() => image.RunClusterAsync(output, SynchronousPrimary, async (cluster, ct) =>
    {
        // Given a primary whose synchronous standby is standby-1
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        await WaitUntilSynchronousAsync(primary, standby, ct);
        await primary.ExecuteAsync("CREATE TABLE payments (id int PRIMARY KEY)", ct);
        await using var onPrimary = await primary.OpenConnectionAsync(ct);
        await using var onStandby = await standby.OpenConnectionAsync(ct);

        for (var id = 1; id <= 20; id++)
        {
            // When a commit returns on the primary
            await using (var insert = new NpgsqlCommand($"INSERT INTO payments VALUES ({id})", onPrimary))
            {
                await insert.ExecuteNonQueryAsync(ct);
            }

            // Then the standby already shows the row, read at once without waiting
            await using var read = new NpgsqlCommand($"SELECT count(*) FROM payments WHERE id = {id}", onStandby);
            Assert.True((long)(await read.ExecuteScalarAsync(ct))! == 1, $"row {id} is not on the standby when its commit returned");
        }
    });

    [Fact]
    public Task Commit_waits_while_the_synchronous_standby_is_down() => image.RunClusterAsync(output, SynchronousPrimary, async (cluster, ct) =>
    {
        // Given a synchronous standby that is stopped
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        await WaitUntilSynchronousAsync(primary, standby, ct);
        await primary.ExecuteAsync("CREATE TABLE payments (id int PRIMARY KEY)", ct);
        await standby.StopAsync(ct);

        // When a client commits, giving up after 2 s (statement_timeout cannot bound a commit: the
        // server lifts it before committing; Npgsql's CommandTimeout sends a cancel request instead)
        await using var connection = await primary.OpenConnectionAsync(ct);
        var notices = new ConcurrentQueue<string>();
        connection.Notice += (_, e) => notices.Enqueue(e.Notice.MessageText);
        var clock = Stopwatch.StartNew();
        await using (var insert = new NpgsqlCommand("INSERT INTO payments VALUES (1)", connection) { CommandTimeout = (int)CommitBound.TotalSeconds })
        {
            await insert.ExecuteNonQueryAsync(ct);
        }

        // Then the commit did not return until the cancel cut short its wait for the standby
        output.WriteLine($"the commit returned after {clock.Elapsed.TotalSeconds:0.00} s: {string.Join(" / ", notices)}");
        Assert.True(clock.Elapsed >= CommitBound, $"the commit returned after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.Contains(notices, n => n.Contains("canceling wait for synchronous replication", StringComparison.Ordinal));

        // And once the standby is back, commits return and it has every row
        await standby.StartAsync(ct);
        await WaitUntilSynchronousAsync(primary, standby, ct);
        await primary.ExecuteAsync("INSERT INTO payments VALUES (2)", ct);
        Assert.Equal(2L, await standby.ScalarAsync<long>("SELECT count(*) FROM payments", ct));
    });

    private async Task WaitUntilSynchronousAsync(PostgresNode primary, PostgresNode standby, CancellationToken ct)
    {
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        await Wait.UntilAsync(
            $"{standby.Name} to be the synchronous standby (sync_state 'sync')",
            async token =>
            {
                var state = await primary.ScalarAsync<string>(
                    $"SELECT sync_state FROM pg_stat_replication WHERE application_name = '{standby.SlotName}'", token);
                return state == "sync" ? Probe<bool>.Done(true) : Probe<bool>.NotYet($"sync_state '{state ?? "(no row)"}'");
            },
            TimeSpan.FromSeconds(30),
            ct);
    }
}
