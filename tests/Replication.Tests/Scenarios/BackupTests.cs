using System.Globalization;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// Backups with the image's pgBackRest on a repository volume shared by the nodes: a restore to a
/// point in time, a standby cloned from the repository, and the faults a repository meets
/// (those of a backup itself, a corrupted file or an interrupted run, in BackupTests.Faults.cs).
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed partial class BackupTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    // A clone or catch-up from the repository restores and replays more than pg_basebackup streams:
    // on a loaded 2-core host, minutes rather than seconds.
    private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(5);

    private static ClusterOptions WithRepository(ClusterOptions options) =>
        options with { BackupRepository = true, WaitTimeout = TimeSpan.FromSeconds(150) };

    [Fact]
    public Task Restore_to_a_time_brings_back_exactly_the_rows_committed_before_it_and_archives_on_a_new_timeline() =>
        image.RunClusterAsync(output, WithRepository, async (cluster, ct) =>
        {
            // Given a primary archiving to the repository, a full backup, and a standby cloned from that backup
            var primary = await cluster.AddPrimaryAsync(ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            await primary.ExecuteAsync("CREATE TABLE events (id int PRIMARY KEY, note text)", ct);
            await PgBackRestExec.BackupAsync(cluster, primary, ct);
            var standby = await cluster.AddStandbyAsync("standby-1", primary, new Dictionary<string, string?> { ["CLONE_FROM"] = "repository" }, ct);
            output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
            Assert.Contains("from the latest backup", await standby.LogsAsync(50, ct), StringComparison.Ordinal);

            // And rows committed before a noted time, then rows after it, all archived
            await primary.ExecuteAsync("INSERT INTO events SELECT g, 'before' FROM generate_series(1, 500) g", ct);
            var expected = await TableChecksum.OfAsync(primary, "events", ct);
            var target = await primary.ScalarAsync<DateTime>("SELECT clock_timestamp()", ct);
            await primary.ExecuteAsync("SELECT pg_sleep(0.05)", ct);
            await primary.ExecuteAsync("INSERT INTO events SELECT g, 'after' FROM generate_series(501, 700) g", ct);
            await PgBackRestExec.SwitchAndWaitArchivedAsync(primary, ct);

            // When a new primary is started on an empty volume with RECOVERY_TARGET_TIME
            var time = target.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00";
            var restored = await cluster.AddPrimaryAsync("restored", new Dictionary<string, string?> { ["RECOVERY_TARGET_TIME"] = time }, ct);
            await WaitUntilPrimaryAsync(restored, ct);

            // Then it holds exactly the rows committed before that time, on a new timeline, and archives again
            Assert.Equal(expected, await TableChecksum.OfAsync(restored, "events", ct));
            Assert.True(await restored.ScalarAsync<int>("SELECT timeline_id FROM pg_control_checkpoint()", ct) > 1);
            await PgBackRestExec.SwitchAndWaitArchivedAsync(restored, ct);
            var (healthExit, health) = await PgBackRestExec.HealthcheckAsync(cluster, restored, ct);
            Assert.Equal(0, healthExit);
            Assert.Contains("archiving ok", health, StringComparison.Ordinal);

            // And a restore aimed at a volume that holds data is refused, the volume untouched
            await restored.StopAsync(ct);
            var before = await DataDirectorySnapshot.TakeAsync(cluster.Engine, restored.ContainerId, image.Layout.DataVolumePath, ct);
            await restored.RecreateAsync(new Dictionary<string, string?> { ["RECOVERY_TARGET_TIME"] = null, ["RECOVERY_TARGET"] = "latest" }, ct);
            var refusal = await Refusal.AwaitAsync(cluster, restored, ExitTimeout, ct);
            Assert.NotEqual(0, refusal.ExitCode);
            var line = Assert.Single(refusal.ErrorLines);
            Assert.Contains("RECOVERY_TARGET", line, StringComparison.Ordinal);
            var after = await DataDirectorySnapshot.TakeAsync(cluster.Engine, restored.ContainerId, image.Layout.DataVolumePath, ct);
            Assert.Empty(before.DifferencesFrom(after));
            Assert.NotEmpty(before.Files);
        }, ScenarioTimeout);

    [Fact]
    public Task Primary_keeps_serving_while_the_repository_is_unwritable_and_archives_again_once_repaired() =>
        image.RunClusterAsync(output, WithRepository, async (cluster, ct) =>
        {
            // Given a primary archiving to the repository
            var primary = await cluster.AddPrimaryAsync(ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            await primary.ExecuteAsync("CREATE TABLE events (id int PRIMARY KEY)", ct);
            await PgBackRestExec.SwitchAndWaitArchivedAsync(primary, ct);

            // When the repository's directory becomes unwritable (as a full or lost volume would be)
            await PgBackRestExec.AsRootAsync(cluster, primary, ["chmod", "000", ClusterOptions.BackupRepositoryPath + "/archive"], ct);
            await primary.ExecuteAsync("INSERT INTO events SELECT g FROM generate_series(1, 100) g", ct);
            var held = await primary.ScalarAsync<string>("SELECT pg_walfile_name(pg_switch_wal())", ct) ?? "";

            // Then it still takes writes, and the healthcheck stays healthy but says archiving fails
            await Wait.UntilAsync("pg_stat_archiver to count a failure", async t =>
                await primary.ScalarAsync<long>("SELECT failed_count FROM pg_stat_archiver", t) > 0, TimeSpan.FromSeconds(60), ct);
            await primary.ExecuteAsync("INSERT INTO events SELECT g FROM generate_series(101, 200) g", ct);
            var (exit, health) = await PgBackRestExec.HealthcheckAsync(cluster, primary, ct);
            output.WriteLine(health);
            Assert.Equal(0, exit);
            Assert.Contains("archiving FAILING", health, StringComparison.Ordinal);

            // And once the directory is writable again, the held WAL is archived without a restart
            await PgBackRestExec.AsRootAsync(cluster, primary, ["chmod", "750", ClusterOptions.BackupRepositoryPath + "/archive"], ct);
            await PgBackRestExec.WaitArchivedAsync(primary, held, TimeSpan.FromSeconds(90), ct);
            (exit, health) = await PgBackRestExec.HealthcheckAsync(cluster, primary, ct);
            Assert.Equal(0, exit);
            Assert.Contains("archiving ok", health, StringComparison.Ordinal);
        }, ScenarioTimeout);

    [Fact]
    public Task Standby_whose_slot_was_invalidated_catches_up_from_the_archive_and_streams_again() =>
        image.RunClusterAsync(
            output,
            options => WithRepository(options) with
            {
                NodeEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string?>>
                {
                    ["primary"] = new Dictionary<string, string?> { ["MAX_SLOT_WAL_KEEP_SIZE"] = "32MB", ["WAL_KEEP_SIZE"] = "0" },
                },
            },
            async (cluster, ct) =>
            {
                // Given a streaming standby that is stopped
                var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
                await primary.ExecuteAsync("CREATE TABLE events (id int PRIMARY KEY)", ct);
                await standby.StopAsync(ct);

                // When the primary writes more WAL than MAX_SLOT_WAL_KEEP_SIZE and its slot is invalidated
                await Wait.UntilAsync($"slot {standby.SlotName} to be lost", async t =>
                {
                    await primary.ExecuteAsync(
                        "INSERT INTO events SELECT coalesce(max(id), 0) + 1 FROM events; SELECT pg_switch_wal(); CHECKPOINT", t);
                    return await primary.ScalarAsync<string>(
                        $"SELECT wal_status FROM pg_replication_slots WHERE slot_name = '{standby.SlotName}'", t) == "lost";
                }, TimeSpan.FromSeconds(90), ct);
                await PgBackRestExec.SwitchAndWaitArchivedAsync(primary, ct);

                // Then the standby, started again, catches up from the archive and streams with every row
                await standby.StartAsync(ct);
                output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
                await WalReplay.CatchUpAsync(primary, standby, ct);
                Assert.Equal(await TableChecksum.OfAsync(primary, "events", ct), await TableChecksum.OfAsync(standby, "events", ct));
            },
            ScenarioTimeout);
}
