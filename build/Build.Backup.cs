using BuildRunner;
using PostgresReplication;

/// <summary>
/// Backups with pgBackRest into a repository volume every node mounts: a backup of the primary,
/// a restore into a new primary on a new volume, and BackupTest, the point-in-time recovery the
/// README promises, end to end, with verify and retention. Stop removes everything, repository included.
/// </summary>
sealed partial class Build
{
    const string RestoredNode = "restored";

    [Parameter("Mounts a pgBackRest repository volume on every node (PGBACKREST_REPO1_PATH, retention 2 full backups); implied by Backup, Restore and BackupTest")]
    readonly bool BackupRepository;

    [Parameter("What Backup takes: full, diff (changes since the last full) or incr (since the last backup)", Name = "BackupType")]
    readonly string BackupTypeParameter = "full";

    [Parameter("Restore stops at this time (with a time zone, e.g. 2026-12-04 15:30:00+00:00) instead of the latest")]
    readonly string? RecoveryTargetTime;

    [Parameter("Restore stops at this WAL position (e.g. 0/3000060) instead of the latest")]
    readonly string? RecoveryTargetLsn;

    [Parameter("Restore stops at this restore point (made with pg_create_restore_point) instead of the latest")]
    readonly string? RecoveryTargetName;

    Target Backup => _ => _
        .Description("Takes a pgBackRest backup of --backup-type (full, diff, incr) from the primary into the run's repository volume")
        .DependsOn(Seed)
        .After(StartStandby)
        .Executes(async ct => await ShowingLogsOnFailure(async () =>
        {
            var took = await PgBackRest.BackupAsync(Primary, RequestedBackupType(), ct);
            Log.Info($"{RequestedBackupType().Word()} backup of {Primary.Name} in {took.TotalSeconds:0.00} s");
        }));

    Target Restore => _ => _
        .Description("Restores the latest backup into a new primary on a new volume, replaying WAL to --recovery-target-time, -lsn or -name (default: the latest)")
        .DependsOn(Backup)
        .Executes(async ct => await ShowingLogsOnFailure(async () =>
        {
            // The WAL written since the backup reaches the repository before the restore looks for it.
            await PgBackRest.CheckAsync(Primary, ct);
            await RestoreAsync(RequestedRecoveryTarget(), ct);
        }));

    Target BackupTest => _ => _
        .Description("Point-in-time recovery end to end: full backup, two batches, restore to the time between them into a new primary, verify, retention")
        .DependsOn(Backup, StartStandby)
        .Triggers(Stop)
        .Executes(async ct => await ShowingLogsOnFailure(() => PointInTimeRecoveryAsync(ct)));

    async Task PointInTimeRecoveryAsync(CancellationToken ct)
    {
        // pgBackRest picks the backup for a time target by its stop time, kept in whole seconds and
        // compared as "earlier than the target": the batches start once the server's clock is a
        // second past it, or on a fast machine no backup would be old enough for the target.
        var stopped = (await PgBackRest.InfoAsync(Primary, PgBackRest.DefaultStanza, ct)).Backups[^1].Stopped;
        await Wait.UntilAsync(
            $"the primary's clock to pass the backup's stop time ({stopped:u}) by a second",
            async token => await Primary.ScalarAsync<bool>($"SELECT now() >= to_timestamp({stopped.ToUnixTimeSeconds() + 1})", token),
            TimeSpan.FromSeconds(30),
            ct);
        var first = await WriteBatchAsync(Rows + 1, ct);
        var expected = await TableChecksum.OfAsync(Primary, SeedData.Table, ct);
        var second = await WriteBatchAsync(Rows + BatchRows + 1, ct);
        var target = RecoveryTarget.Between(first, second);
        Log.Info($"batches committed at {RecoveryTarget.FormatTime(first)} and {RecoveryTarget.FormatTime(second)}; restoring to {target}");

        // A disaster: the primary is gone once its last WAL is in the repository.
        await PgBackRest.CheckAsync(Primary, ct);
        await Primary.StopAsync(ct);
        var restored = await RestoreAsync(target, ct);
        var actual = await TableChecksum.OfAsync(restored, SeedData.Table, ct);
        if (actual != expected)
        {
            throw new BuildFailedException($"{restored.Name} has {SeedData.Table} with {actual}; before {target.Value} it had {expected}");
        }

        Log.Info($"{restored.Name} has exactly the rows committed before {target.Value}: {actual}");

        // The rest of the cluster comes back as standbys of the restored primary, each on a new volume.
        var rebuilt = await cluster!.AddStandbyAsync($"{RestoredNode}-standby", restored, ct);
        Log.Info($"{await Probes.WaitUntilStreamingAsync(restored, rebuilt, ct)}");

        await PgBackRest.VerifyAsync(restored, ct);
        Log.Info("pgbackrest verify: every file of the repository matches its checksum");
        await AssertRetentionAsync(restored, ct);

        await Probes.WaitForReplayAsync(rebuilt, await restored.CurrentWalLsnAsync(ct), ct);
        var copy = await TableChecksum.OfAsync(rebuilt, SeedData.Table, ct);
        if (copy != expected)
        {
            throw new BuildFailedException($"{rebuilt.Name} has {SeedData.Table} with {copy}, its primary {restored.Name} {expected}");
        }

        Log.Info($"{rebuilt.Name} streams from {restored.Name} and has the same {SeedData.Table}");
    }

    /// <summary>Writes a batch of rows in one transaction and returns its commit time on the server.</summary>
    async Task<DateTimeOffset> WriteBatchAsync(int from, CancellationToken ct)
    {
        await Primary.ExecuteAsync(
            $"INSERT INTO {SeedData.Table} SELECT i, i + 1, 'batch ' || i FROM generate_series({from}, {from + BatchRows - 1}) AS i", ct);
        return await CommitTime.LatestAsync(Primary, SeedData.Table, ct);
    }

    const int BatchRows = 100;

    /// <summary>As many more full backups as the retention keeps: the first is expired, the new ones stay.</summary>
    async Task AssertRetentionAsync(PostgresNode node, CancellationToken ct)
    {
        const int retention = ClusterOptions.BackupRetentionFull;
        var before = await PgBackRest.InfoAsync(node, PgBackRest.DefaultStanza, ct);
        var oldest = before.Full[0].Label;
        for (var i = 0; i < retention; i++)
        {
            await PgBackRest.BackupAsync(node, PostgresReplication.BackupType.Full, ct);
        }

        await PgBackRest.ExpireAsync(node, ct);

        var after = await PgBackRest.InfoAsync(node, PgBackRest.DefaultStanza, ct);
        var kept = after.Full.Select(b => b.Label).ToList();
        if (after.StatusCode != 0 || kept.Count != retention || kept.Contains(oldest))
        {
            throw new BuildFailedException(
                $"with retention-full {retention} the repository should keep the {retention} newest full backups, not {oldest}; " +
                $"it keeps {string.Join(", ", kept)} (status {after.StatusCode}: {after.StatusMessage})");
        }

        Log.Info($"retention: {oldest} expired, {string.Join(" and ", kept)} kept");
    }

    /// <summary>A new primary on a new volume, restored from the repository by the image itself, promoted at <paramref name="target"/>.</summary>
    async Task<PostgresNode> RestoreAsync(RecoveryTarget target, CancellationToken ct)
    {
        var restored = await cluster!.AddPrimaryAsync(RestoredNode, target.Environment(), ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(restored, ct);
        await Wait.UntilAsync(
            $"{restored.Name} to finish recovery and promote",
            async token =>
            {
                // A restore the image refuses ends the container: say so at once, with its last lines.
                await restored.ThrowIfExitedAsync(token);
                return await restored.IsInRecoveryAsync(token) ? Probe<bool>.NotYet("in recovery") : Probe<bool>.Done(true);
            },
            restored.WaitTimeout,
            ct);
        Log.Info($"{restored.Name} restored to {target} and promoted; at LSN {await restored.CurrentWalLsnAsync(ct)}");
        return restored;
    }

    /// <summary>The cluster's options with the repository and the commit times BackupTest reads, when a backup target runs.</summary>
    ClusterOptions WithBackups(ClusterOptions options)
    {
        var backups = BackupRepository || IsScheduled(nameof(Backup));
        return !backups
            ? options
            : options with
            {
                BackupRepository = true,
                ServerSettings = new Dictionary<string, string>(options.ServerSettings) { [CommitTime.Setting] = "on" },
            };
    }

    /// <summary>Called before the cluster starts, so a backup that cannot happen costs nothing.</summary>
    void CheckBackupParameters()
    {
        RequestedBackupType();
        if (!IsScheduled(nameof(Restore)) && (RecoveryTargetTime ?? RecoveryTargetLsn ?? RecoveryTargetName) is not null)
        {
            throw new BuildFailedException("--recovery-target-time, -lsn and -name tell Restore where to stop, and Restore is not part of this run; drop them or run Restore");
        }

        RequestedRecoveryTarget();
    }

    PostgresReplication.BackupType RequestedBackupType() =>
        BackupTypes.Parse(BackupTypeParameter)
        ?? throw new BuildFailedException($"--backup-type {BackupTypeParameter} is not a pgBackRest backup type; use full, diff or incr");

    RecoveryTarget RequestedRecoveryTarget() =>
        RecoveryTarget.FromOptions(RecoveryTargetTime, RecoveryTargetLsn, RecoveryTargetName) is { Target: { } target }
            ? target
            : throw new BuildFailedException(RecoveryTarget.FromOptions(RecoveryTargetTime, RecoveryTargetLsn, RecoveryTargetName).Error!);
}
