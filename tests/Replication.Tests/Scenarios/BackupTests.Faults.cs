using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>The faults of a backup itself: a file of it corrupted in the repository, a run cut short by a killed primary.</summary>
public sealed partial class BackupTests
{
    private const string StanzaBackups = ClusterOptions.BackupRepositoryPath + "/backup/" + PgBackRest.DefaultStanza;

    [Fact]
    public Task Backup_with_a_corrupted_file_is_reported_by_verify_and_a_restore_from_it_refuses() =>
        image.RunClusterAsync(output, WithRepository, async (cluster, ct) =>
        {
            // Given a primary with a table, and a full backup of it
            var primary = await cluster.AddPrimaryAsync(ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            await primary.ExecuteAsync("CREATE TABLE events AS SELECT g AS id, md5(g::text) AS note FROM generate_series(1, 2000) g", ct);
            var relation = await primary.ScalarAsync<string>("SELECT pg_relation_filepath('events')", ct);
            await PgBackRestExec.BackupAsync(cluster, primary, ct);
            var label = Assert.Single((await PgBackRest.InfoAsync(primary, PgBackRest.DefaultStanza, ct)).Backups).Label;

            // When bytes of the backup's copy of that table (gz-compressed) are overwritten in the repository
            var file = $"{label}/pg_data/{relation}.gz";
            await PgBackRestExec.RootShellAsync(
                cluster, primary, $"printf corrupted | dd of={StanzaBackups}/{file} bs=1 seek=64 conv=notrunc status=none", ct);

            // Then verify names the file. pgBackRest 2.45 to 2.60 exit 0 whatever verify finds: its
            // report, at log level info, is what tells (README says so).
            var verify = await PgBackRestExec.RunAsync(cluster, primary, ["verify", "--log-level-console=info"], ct);
            output.WriteLine($"verify exited {verify.ExitCode}:{Environment.NewLine}{verify.Stdout}{verify.Stderr}");
            Assert.Contains($"'{file}'", verify.Stdout + verify.Stderr, StringComparison.Ordinal);

            // And a new primary restoring the latest from it exits with one error line, and its volume
            // holds no cluster: only the image's marker of a first start cut short. A corrupted file
            // fails every retry alike; pgBackRest's default retry would only add 15 s.
            var restored = await cluster.AddPrimaryAsync(
                "restored", new Dictionary<string, string?> { ["RECOVERY_TARGET"] = "latest", ["PGBACKREST_JOB_RETRY"] = "0" }, ct);
            await AssertRestoreRefusedAsync(cluster, restored, ct);
        }, ScenarioTimeout);

    [Fact]
    public Task Backup_cut_short_by_a_killed_primary_is_never_restored_and_the_next_backup_is_complete() =>
        image.RunClusterAsync(output, WithRepository, async (cluster, ct) =>
        {
            // Given a primary with about 70 MB of rows, so that a full backup copies for seconds
            var primary = await cluster.AddPrimaryAsync(ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            await primary.ExecuteAsync(
                "CREATE TABLE events AS SELECT g AS id, repeat(md5(g::text), 4) AS note FROM generate_series(1, 400000) g", ct);
            var expected = await TableChecksum.OfAsync(primary, "events", ct);

            // When a full backup, run by hand, is seen copying into the repository, frozen there, and
            // the primary's container is killed (SIGKILL) as a lost machine would be
            var interrupted = PgBackRestExec.RunAsync(cluster, primary, ["backup", "--type=full"], ct);
            var label = await WaitUntilCopyingAsync(cluster, primary, ct);
            await PgBackRestExec.RootShellAsync(cluster, primary, FreezeBackupScript, ct);
            Assert.Empty((await PgBackRest.InfoAsync(primary, PgBackRest.DefaultStanza, ct)).Backups);
            var killedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            await primary.KillAsync(ct);
            var cut = await interrupted;
            output.WriteLine($"the interrupted backup {label}: exec ended with {cut.ExitCode}");
            Assert.NotEqual(0, cut.ExitCode);

            // Then a restore attempted now refuses: the repository holds no complete backup
            var restored = await cluster.AddPrimaryAsync("restored", new Dictionary<string, string?> { ["RECOVERY_TARGET"] = "latest" }, ct);
            await AssertRestoreRefusedAsync(cluster, restored, ct);

            // And the primary, started again, recovers, and its next full backup completes
            await primary.StartAsync(ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            await PgBackRestExec.BackupAsync(cluster, primary, ct);

            // And the repository lists that backup alone (pgBackRest resumes the interrupted one
            // under its label, or removes it): every backup directory (not the "latest" link) is one
            // info lists, with its final manifest
            var backup = Assert.Single((await PgBackRest.InfoAsync(primary, PgBackRest.DefaultStanza, ct)).Backups);
            output.WriteLine($"the next backup: {backup.Label} ({(backup.Label == label ? "the interrupted one, resumed" : "a new one")})");
            Assert.True(backup.Started >= killedAt, $"backup {backup.Label} started {backup.Started:O}, before the kill at {killedAt:O}");
            var directories = await PgBackRestExec.RootShellAsync(cluster, primary, $$"""
                cd {{StanzaBackups}}
                for d in */; do
                  d=${d%/}
                  [[ $d == backup.history || -L $d ]] && continue
                  echo "$d $([[ -f $d/backup.manifest ]] && echo complete)"
                done
                """, ct);
            Assert.Equal([$"{backup.Label} complete"], directories.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var verify = await PgBackRestExec.RunAsync(cluster, primary, ["verify", "--log-level-console=info"], ct);
            Assert.Equal(0, verify.ExitCode);
            Assert.DoesNotContain($"'{backup.Label}/", verify.Stdout + verify.Stderr, StringComparison.Ordinal);

            // And the refused container, started again, restores it with every row
            await restored.StartAsync(ct);
            await WaitUntilPrimaryAsync(restored, ct);
            Assert.Equal(expected, await TableChecksum.OfAsync(restored, "events", ct));
        }, ScenarioTimeout);

    /// <summary>The in-progress backup's label once its directory holds a copied file and no final manifest.</summary>
    private static Task<string> WaitUntilCopyingAsync(ReplicationCluster cluster, PostgresNode primary, CancellationToken ct) =>
        Wait.UntilAsync(
            "the full backup to copy its first file into the repository",
            async t =>
            {
                var seen = (await PgBackRestExec.RootShellAsync(cluster, primary, $$"""
                    shopt -s nullglob
                    for d in {{StanzaBackups}}/*F; do
                      [[ -e $d/backup.manifest ]] && { echo "finished ${d##*/}"; continue; }
                      [[ -e $d/backup.manifest.copy && -n $(find "$d/pg_data" -type f -print -quit) ]] && echo "${d##*/}"
                    done
                    """, t)).Trim();
                return seen.Length > 0 && !seen.Contains(' ', StringComparison.Ordinal)
                    ? Probe<string>.Done(seen)
                    : Probe<string>.NotYet(seen.Length > 0 ? seen : "no backup directory with a copied file");
            },
            TimeSpan.FromSeconds(60),
            ct);

    // SIGSTOP to pgBackRest's backup processes (the command and its local workers), so that the
    // backup cannot finish between the test seeing it copy and the kill. /proc, as 18's base has no pgrep.
    private const string FreezeBackupScript = """
        frozen=0
        for p in /proc/[0-9]*; do
          command=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) || continue
          case $command in
            pgbackrest*backup*) kill -STOP "${p#/proc/}" && frozen=$((frozen + 1)) ;;
          esac
        done
        ((frozen > 0)) || { echo "no pgBackRest backup process to freeze" >&2; exit 1; }
        """;

    private async Task AssertRestoreRefusedAsync(ReplicationCluster cluster, PostgresNode restored, CancellationToken ct)
    {
        var refusal = await Refusal.AwaitAsync(cluster, restored, TimeSpan.FromSeconds(90), ct);
        output.WriteLine($"{restored.Name} exited {refusal.ExitCode}: {string.Join(Environment.NewLine, refusal.ErrorLines)}");
        Assert.NotEqual(0, refusal.ExitCode);
        Assert.Single(refusal.ErrorLines);
        var left = await DataDirectorySnapshot.TakeAsync(cluster.Engine, restored.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.All(left.Files, f => Assert.EndsWith("/postgres-replication.initialising", f, StringComparison.Ordinal));
    }

    private static Task WaitUntilPrimaryAsync(PostgresNode node, CancellationToken ct) =>
        Wait.UntilAsync($"{node.Name} to be a primary", async t =>
        {
            await node.ThrowIfExitedAsync(t);
            try
            {
                return !await node.IsInRecoveryAsync(t);
            }
            catch (Npgsql.NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), ct);
}
