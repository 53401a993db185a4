using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>Stops, restarts and recreated containers: a standby comes back with every row, once, without re-cloning.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class RestartTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan SlotStateTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Standby_restart_catches_up_on_writes_it_missed() => image.RunClusterAsync(
        output,
        // No wal_keep_size: only the standby's slot can keep the WAL it misses.
        NodeEnvironment.For("primary", ("WAL_KEEP_SIZE", "0")),
        async (cluster, ct) =>
        {
            // Given a streaming standby, then stopped: its slot on the primary turns inactive
            var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
            await primary.ExecuteAsync("CREATE TABLE ledger (id bigint, amount numeric, note text)", ct);
            await WalReplay.CatchUpAsync(primary, standby, ct);
            await standby.StopAsync(ct);
            await WaitForSlotActiveAsync(primary, standby.SlotName, active: false, ct);

            // When the primary commits 10,000 rows and moves on to new WAL segments past a checkpoint
            await primary.ExecuteAsync(
                "INSERT INTO ledger SELECT g, g * 1.5, md5(g::text) FROM generate_series(1, 10000) g", ct);
            await primary.ExecuteAsync("SELECT pg_switch_wal(); CHECKPOINT;", ct);
            Assert.True(
                await primary.ScalarAsync<bool>(
                    $"""
                    SELECT EXISTS (SELECT 1 FROM pg_ls_waldir() WHERE name =
                        (SELECT pg_walfile_name(restart_lsn) FROM pg_replication_slots WHERE slot_name = '{standby.SlotName}'))
                    """,
                    ct),
                "the WAL segment the stopped standby needs next is gone from the primary");
            await standby.StartAsync(ct);

            // Then it catches up exactly: same rows, none lost or doubled, and its slot is active again
            output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
            await WalReplay.CatchUpAsync(primary, standby, ct);
            var expected = await TableChecksum.OfAsync(primary, "ledger", ct);
            Assert.StartsWith("10000 rows", expected);
            Assert.Equal(expected, await TableChecksum.OfAsync(standby, "ledger", ct));
            await WaitForSlotActiveAsync(primary, standby.SlotName, active: true, ct);
        });

    [Fact]
    public Task Standby_reconnects_by_itself_after_the_primary_restarts() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a streaming standby with the primary's rows
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        await primary.ExecuteAsync("CREATE TABLE visits (id int); INSERT INTO visits SELECT generate_series(1, 100);", ct);
        await WalReplay.CatchUpAsync(primary, standby, ct);
        var standbyStarted = await standby.ScalarAsync<string>("SELECT pg_postmaster_start_time()::text", ct);

        // When the primary restarts and commits more rows
        await primary.RestartAsync(ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        await primary.ExecuteAsync("INSERT INTO visits SELECT generate_series(101, 200)", ct);

        // Then the standby, never restarted, streams again and has them
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        await WalReplay.CatchUpAsync(primary, standby, ct);
        Assert.Equal(await TableChecksum.OfAsync(primary, "visits", ct), await TableChecksum.OfAsync(standby, "visits", ct));
        Assert.Equal(200L, await standby.ScalarAsync<long>("SELECT count(*) FROM visits", ct));
        Assert.Equal(standbyStarted, await standby.ScalarAsync<string>("SELECT pg_postmaster_start_time()::text", ct));
    });

    [Fact]
    public Task Standby_recreated_on_its_volume_resumes_without_recloning() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a standby that cloned its primary and replayed 500 rows (no key: a replayed-twice row would show)
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        Assert.Contains("cloning", await standby.LogsAsync(200, ct), StringComparison.Ordinal);
        await primary.ExecuteAsync("CREATE TABLE events (id int, note text); INSERT INTO events SELECT g, 'before' FROM generate_series(1, 500) g;", ct);
        await WalReplay.CatchUpAsync(primary, standby, ct);
        var identityBefore = await ClusterIdentityAsync(standby, ct);

        // When its container is replaced by a new one on the same volume, and the primary commits 500 more rows
        await standby.RecreateAsync(null, ct);
        await primary.ExecuteAsync("INSERT INTO events SELECT g, 'after' FROM generate_series(501, 1000) g", ct);

        // Then it resumes from its data: no clone, same system and timeline, every row exactly once
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        await WalReplay.CatchUpAsync(primary, standby, ct);
        var log = await standby.LogsAsync(200, ct);
        Assert.DoesNotContain("cloning", log, StringComparison.Ordinal);
        Assert.Contains("resuming as a standby", log, StringComparison.Ordinal);
        Assert.Equal(identityBefore, await ClusterIdentityAsync(standby, ct));
        Assert.Equal(await ClusterIdentityAsync(primary, ct), identityBefore);
        var expected = await TableChecksum.OfAsync(primary, "events", ct);
        Assert.StartsWith("1000 rows", expected);
        Assert.Equal(expected, await TableChecksum.OfAsync(standby, "events", ct));
    });

    [Fact]
    public Task Standby_with_a_deleted_volume_reclones_under_the_same_slot() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a streaming standby with 500 rows
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        await primary.ExecuteAsync("CREATE TABLE orders (id int, note text); INSERT INTO orders SELECT g, 'first' FROM generate_series(1, 500) g;", ct);
        await WalReplay.CatchUpAsync(primary, standby, ct);

        // When its container and volume are deleted, the primary commits more, and it is created again under its name
        await standby.RemoveContainerAsync(keepVolume: false, ct);
        await primary.ExecuteAsync("INSERT INTO orders SELECT g, 'while gone' FROM generate_series(501, 1000) g", ct);
        await standby.RecreateAsync(null, ct);

        // Then it clones afresh under the same slot, the one slot of that name, active again
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        await WalReplay.CatchUpAsync(primary, standby, ct);
        var log = await standby.LogsAsync(200, ct);
        Assert.Contains($"dropped the inactive replication slot {standby.SlotName}", log, StringComparison.Ordinal);
        Assert.Contains($"with replication slot {standby.SlotName}", log, StringComparison.Ordinal);
        Assert.Equal(
            "1 slot(s), active by its walsender: true",
            await primary.ScalarAsync<string>(
                $"""
                SELECT count(*) || ' slot(s), active by its walsender: ' || bool_and(s.active AND r.application_name IS NOT NULL)::text
                FROM pg_replication_slots s
                LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid AND r.application_name = s.slot_name
                WHERE s.slot_name = '{standby.SlotName}'
                """,
                ct));
        var expected = await TableChecksum.OfAsync(primary, "orders", ct);
        Assert.StartsWith("1000 rows", expected);
        Assert.Equal(expected, await TableChecksum.OfAsync(standby, "orders", ct));
    });

    [Fact]
    public Task Standby_whose_clone_was_cut_off_clones_again_on_its_next_start() => image.RunClusterAsync(
        output,
        options => NodeEnvironment.For("standby-1", ("CLONE_MAX_RATE", "1M"))(options) with
        {
            // The killed clone's WAL stream stays open on the primary until this ends it (default 60 s).
            ServerSettings = new Dictionary<string, string> { ["wal_sender_timeout"] = "5s" },
        },
        async (cluster, ct) =>
        {
            // Given a primary with 1,000 rows and a standby that has begun to clone it at 1 MB/s (about 20 s)
            var primary = await cluster.AddPrimaryAsync(ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            await primary.ExecuteAsync("CREATE TABLE parcels (id int, note text); INSERT INTO parcels SELECT g, md5(g::text) FROM generate_series(1, 1000) g;", ct);
            var standby = await cluster.AddStandbyAsync("standby-1", primary, ct);
            var pgdata = image.Layout.PgData ?? throw new InvalidOperationException("the image sets no PGDATA");
            await Wait.UntilAsync(
                "standby-1 to begin writing its clone (backup_label)",
                async token => (await ContainerExec.RunAsync(cluster.Engine, standby.ContainerId, ["test", "-f", $"{pgdata}/backup_label"], token)).ExitCode == 0,
                TimeSpan.FromSeconds(60),
                ct);

            // When its container is killed mid-clone, then replaced on the same volume without the rate limit
            await standby.StopAsync(TimeSpan.Zero, ct);
            var cutOff = await DataDirectorySnapshot.TakeAsync(cluster.Engine, standby.ContainerId, pgdata, ct);
            // The archive names entries under the folder's own name ("data/..." or "docker/...").
            var folder = Path.GetFileName(pgdata);
            Assert.Contains($"{folder}/backup_label", cutOff.Files);
            Assert.DoesNotContain($"{folder}/backup_manifest", cutOff.Files);
            await standby.RecreateAsync(new Dictionary<string, string?> { ["CLONE_MAX_RATE"] = null }, ct);

            // Then it says so, clones afresh and streams every row
            output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
            await WalReplay.CatchUpAsync(primary, standby, ct);
            var log = await standby.LogsAsync(200, ct);
            Assert.Contains("the last clone into", log, StringComparison.Ordinal);
            Assert.Contains("cloning", log, StringComparison.Ordinal);
            var expected = await TableChecksum.OfAsync(primary, "parcels", ct);
            Assert.StartsWith("1000 rows", expected);
            Assert.Equal(expected, await TableChecksum.OfAsync(standby, "parcels", ct));
        });

    /// <summary>The system identifier and the timeline of the node's last checkpoint.</summary>
    private static Task<string?> ClusterIdentityAsync(PostgresNode node, CancellationToken ct) =>
        node.ScalarAsync<string>(
            "SELECT 'system ' || s.system_identifier || ', timeline ' || c.timeline_id FROM pg_control_system() s, pg_control_checkpoint() c",
            ct);

    private static Task WaitForSlotActiveAsync(PostgresNode primary, string slot, bool active, CancellationToken ct) =>
        Wait.UntilAsync(
            $"slot {slot} on {primary.Name} to be {(active ? "active" : "inactive")}",
            async token => await primary.ScalarAsync<bool?>(
                $"SELECT active FROM pg_replication_slots WHERE slot_name = '{slot}'", token) == active,
            SlotStateTimeout,
            ct);
}
