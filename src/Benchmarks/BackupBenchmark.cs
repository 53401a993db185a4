using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Issue 20's numbers: a full backup of a primary of about 1 GB, its restore to the latest and to a
/// time between two batches, the image (docker exec, a repository volume, a new container on an empty
/// volume) against the host's pgBackRest of the same version (a repository folder on the same disk,
/// pgbackrest restore + postgres). Each side's primary is loaded once; the rounds alternate the sides.
/// Every restore is checked to hold exactly the rows committed before its target.
/// </summary>
internal sealed class BackupBenchmark(BenchmarkContext context)
{
    private const string Table = "backup_bench";
    private const int BatchRows = 1000;

    public async Task<BackupResult> RunAsync(int scale, int rounds, CancellationToken ct)
    {
        var pgbench = new PgbenchRunner(context.Options.Pgbench);
        await using var cluster = await ReplicationCluster.CreateAsync(
            context.Engine, new ClusterOptions { Image = context.Options.ImageName, NamePrefix = "pgrepl-bench", BackupRepository = true }, log: null, ct);
        await using var native = await NativeBackupServer.CreateAsync(context.Native, context.Options.WorkDirectory, ct);
        var primary = await cluster.AddPrimaryAsync(ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        await native.StartPrimaryAsync(ct);
        context.Log($"backup: loading pgbench scale {scale} into both primaries at once");
        var sides = new Dictionary<string, BackupSide>
        {
            [Sides.Container] = new ContainerBackupSide(cluster, primary),
            [Sides.Native] = new NativeBackupSide(native),
        };
        var bytes = await Task.WhenAll(sides.Values.Select(s => LoadAsync(pgbench, s.Primary, scale, ct)));
        context.Log($"backup: container primary {bytes[0] / 1e6:0} MB, native {bytes[1] / 1e6:0} MB");

        // The standbys clone before any restore: a restored primary archives a new timeline into the
        // stanza, and a standby from the repository follows the newest timeline, not the primary's.
        await sides[Sides.Container].BackupAsync(ct);
        var clones = new List<StandbyCloneRun>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var source in round % 2 == 0 ? StandbyCloneRun.Sources : StandbyCloneRun.Sources.Reverse())
            {
                clones.Add(await CloneAsync(cluster, primary, source, round + 1, ct));
                context.Log($"standby {round + 1}/{rounds} from {source}: streaming after {clones[^1].Duration.TotalSeconds:0.0} s");
            }
        }

        var runs = new List<BackupRun>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var side in Sides.InOrder(round))
            {
                var run = await RoundAsync(sides[side], side, round + 1, side == Sides.Container ? bytes[0] : bytes[1], ct);
                runs.Add(run);
                context.Log(
                    $"backup {run.Round}/{rounds} {side,-9}: backup {run.Backup.TotalSeconds:0.0} s = {run.BackupMegabytesPerSecond:0} MB/s, " +
                    $"restore {run.Restore.TotalSeconds:0.0} s, to a time {run.PointInTime.TotalSeconds:0.0} s (rows checked)");
            }
        }

        return new BackupResult(runs, scale, bytes[0], bytes[1], clones);
    }

    /// <summary>
    /// Item 2: a container standby from `docker run` to streaming, cloned from the repository's latest
    /// backup (CLONE_FROM=repository) or by pg_basebackup from the primary; removed with its slot after.
    /// There is no native counterpart: a native standby from the repository is the same pgbackrest restore.
    /// </summary>
    private static async Task<StandbyCloneRun> CloneAsync(
        ReplicationCluster cluster, PostgresNode primary, string source, int round, CancellationToken ct)
    {
        await NativeCommand.RunAsync("sync", [], ct);
        var clock = Stopwatch.StartNew();
        var standby = await cluster.AddStandbyAsync(
            $"standby-{source}-{round}", primary, new Dictionary<string, string?> { ["CLONE_FROM"] = source }, ct);
        await Probes.WaitUntilStreamingAsync(primary, standby, ct);
        var run = new StandbyCloneRun(source, round, clock.Elapsed);
        await standby.RemoveContainerAsync(keepVolume: false, ct);
        await PrimaryAdmin.DropSlotAsync(primary.Endpoint, standby.SlotName, ct);
        return run;
    }

    /// <summary>Waits until the server accepts connections and is out of recovery; fails at once if it exits.</summary>
    public static Task WaitUntilPromotedAsync(IProbedServer server, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{server.Name} to finish recovery and accept writes",
            async token =>
            {
                await server.ThrowIfExitedAsync(token);
                return !await server.Endpoint.ScalarAsync<bool>("SELECT pg_is_in_recovery()", token);
            },
            TimeSpan.FromMinutes(10),
            ct);

    /// <summary>One round of one side: backup, two batches around a noted time, restore to the latest and to that time.</summary>
    private async Task<BackupRun> RoundAsync(BackupSide side, string name, int round, long bytes, CancellationToken ct)
    {
        await NativeCommand.RunAsync("sync", [], ct);
        var backup = await side.BackupAsync(ct);
        // pgBackRest picks a backup for a time target by its stop time, in whole seconds: the
        // target must fall a second after it, or no backup is old enough.
        var backupEnd = DateTimeOffset.UtcNow;
        await Wait.UntilAsync(
            "the clock to pass the backup's end by a second",
            _ => Task.FromResult(DateTimeOffset.UtcNow >= backupEnd.AddSeconds(1.1)),
            TimeSpan.FromSeconds(10),
            ct);
        var beforeTarget = await WriteBatchAsync(side.Primary, ct);
        var target = await side.Primary.ScalarAsync<DateTimeOffset>("SELECT clock_timestamp()", ct);
        await Wait.UntilAsync(
            "the server's clock to pass the noted target",
            async token => await side.Primary.ScalarAsync<bool>($"SELECT clock_timestamp() > '{RecoveryTarget.FormatTime(target)}'::timestamptz", token),
            TimeSpan.FromSeconds(10),
            ct);
        var latest = await WriteBatchAsync(side.Primary, ct);
        await side.CheckAsync(ct);

        await NativeCommand.RunAsync("sync", [], ct);
        var restore = await side.RestoreAsync($"restored-{round}", null, latest, ct);
        await NativeCommand.RunAsync("sync", [], ct);
        var pointInTime = await side.RestoreAsync($"pitr-{round}", target, beforeTarget, ct);
        return new BackupRun(name, round, bytes, backup, restore.Total, restore.FromStart, pointInTime.Total);
    }

    /// <summary>Inserts a batch in one transaction; returns the table's row count after it.</summary>
    private static async Task<long> WriteBatchAsync(PgEndpoint primary, CancellationToken ct)
    {
        await primary.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {Table} (i int); INSERT INTO {Table} SELECT generate_series(1, {BatchRows})", ct);
        return await primary.ScalarAsync<long>($"SELECT count(*) FROM {Table}", ct);
    }

    /// <summary>A restored server must hold exactly the rows committed before its target: a broken restore is no figure.</summary>
    internal static async Task RequireRowsAsync(IProbedServer restored, long expected, CancellationToken ct)
    {
        var actual = await restored.Endpoint.ScalarAsync<long>($"SELECT count(*) FROM {Table}", ct);
        if (actual != expected)
        {
            throw new BenchmarkException($"{restored.Name} has {actual} rows in {Table}; {expected} were committed before its target.");
        }
    }

    private static async Task<long> LoadAsync(PgbenchRunner pgbench, PgEndpoint primary, int scale, CancellationToken ct)
    {
        await pgbench.InitializeAsync(primary, scale, ct);
        await PrimaryAdmin.CheckpointAsync(primary, ct);
        return await PrimaryAdmin.DataSizeBytesAsync(primary, ct);
    }
}

/// <summary>What a round does on one side; each side does it as its users would.</summary>
internal abstract class BackupSide
{
    public abstract PgEndpoint Primary { get; }

    public abstract Task<TimeSpan> BackupAsync(CancellationToken ct);

    public abstract Task CheckAsync(CancellationToken ct);

    /// <summary>Restores into a new server, times it until it accepts writes, checks its rows, removes it.</summary>
    public abstract Task<RestoreTime> RestoreAsync(string name, DateTimeOffset? targetTime, long expectedRows, CancellationToken ct);
}

/// <summary>
/// The image: `docker exec -u postgres NAME pgbackrest backup --type=full` through the docker CLI, and a
/// restore as `docker run` of a new primary on an empty volume with RECOVERY_TARGET=latest or _TIME.
/// </summary>
internal sealed class ContainerBackupSide(ReplicationCluster cluster, PostgresNode primary) : BackupSide
{
    public override PgEndpoint Primary => primary.Endpoint;

    public override async Task<TimeSpan> BackupAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await NativeCommand.RunAsync("docker", ["exec", "-u", "postgres", primary.ContainerName, "pgbackrest", "backup", "--type=full"], ct);
        return clock.Elapsed;
    }

    public override Task CheckAsync(CancellationToken ct) => PgBackRest.CheckAsync(primary, ct);

    public override async Task<RestoreTime> RestoreAsync(string name, DateTimeOffset? targetTime, long expectedRows, CancellationToken ct)
    {
        var target = targetTime is { } t ? RecoveryTarget.Time(t) : RecoveryTarget.Latest;
        // A restore follows the repository's newest timeline by default: the previous restores' own.
        var environment = new Dictionary<string, string?>(target.Environment()) { ["PGBACKREST_TARGET_TIMELINE"] = "current" };
        var clock = Stopwatch.StartNew();
        var restored = await cluster.AddPrimaryAsync(name, environment, ct);
        await BackupBenchmark.WaitUntilPromotedAsync(restored, ct);
        var time = clock.Elapsed;
        var writableAt = DateTimeOffset.UtcNow;
        var fromStart = writableAt - await restored.StartedAtAsync(ct);
        await BackupBenchmark.RequireRowsAsync(restored, expectedRows, ct);
        await restored.RemoveContainerAsync(keepVolume: false, ct);
        return new RestoreTime(time, fromStart);
    }
}

/// <summary>The host: pgbackrest with its own configuration file, restores into new folders started by postgres.</summary>
internal sealed class NativeBackupSide(NativeBackupServer server) : BackupSide
{
    public override PgEndpoint Primary => server.Primary.Endpoint;

    public override Task<TimeSpan> BackupAsync(CancellationToken ct) => server.BackupAsync(ct);

    public override Task CheckAsync(CancellationToken ct) => server.CheckAsync(ct);

    public override async Task<RestoreTime> RestoreAsync(string name, DateTimeOffset? targetTime, long expectedRows, CancellationToken ct)
    {
        var (restored, time) = await server.RestoreAsync(name, targetTime, ct);
        await BackupBenchmark.RequireRowsAsync(restored, expectedRows, ct);
        await server.RemoveAsync(restored);
        return new RestoreTime(time, time);
    }
}

/// <summary>
/// A restore until the server accepts writes, timed from the user's command (<see cref="Total"/>) and
/// from the moment the server's own process started (<see cref="FromStart"/>): for a container the
/// engine's start of it, so the engine's creation and start are left out; natively the same as Total.
/// </summary>
internal sealed record RestoreTime(TimeSpan Total, TimeSpan FromStart);

/// <summary>
/// One round of one side: the full backup, the restore to the latest (from the user's command and from
/// the server's process start, see <see cref="RestoreTime"/>), the restore to a time.
/// </summary>
public sealed record BackupRun(
    string Side, int Round, long DataBytes, TimeSpan Backup, TimeSpan Restore, TimeSpan RestoreFromStart, TimeSpan PointInTime)
{
    /// <summary>Megabytes (10^6 bytes) of the database per second of the backup's wall time.</summary>
    public double BackupMegabytesPerSecond => DataBytes / 1e6 / Backup.TotalSeconds;

    public double RestoreMegabytesPerSecond => DataBytes / 1e6 / Restore.TotalSeconds;

    public double RestoreFromStartMegabytesPerSecond => DataBytes / 1e6 / RestoreFromStart.TotalSeconds;
}

/// <summary>One container standby from `docker run` to streaming, cloned from <see cref="Source"/>.</summary>
public sealed record StandbyCloneRun(string Source, int Round, TimeSpan Duration)
{
    public const string Repository = "repository";
    public const string Primary = "primary";

    /// <summary>The image's CLONE_FROM values, in the order of the even rounds.</summary>
    public static IReadOnlyList<string> Sources { get; } = [Repository, Primary];
}

public sealed record BackupResult(
    IReadOnlyList<BackupRun> Runs, int Scale, long ContainerDataBytes, long NativeDataBytes, IReadOnlyList<StandbyCloneRun> Clones)
{
    /// <summary>Seconds to streaming: the repository's clones in the first column, pg_basebackup's in the second.</summary>
    public Comparison CloneSeconds => new(
        [.. Clones.Where(c => c.Source == StandbyCloneRun.Repository).Select(c => c.Duration.TotalSeconds)],
        [.. Clones.Where(c => c.Source == StandbyCloneRun.Primary).Select(c => c.Duration.TotalSeconds)]);

    public Comparison BackupThroughput => Comparison.Of(Runs, r => r.Side, r => r.BackupMegabytesPerSecond);

    public Comparison RestoreThroughput => Comparison.Of(Runs, r => r.Side, r => r.RestoreMegabytesPerSecond);

    /// <summary>The image's own share of the restore: from the container's start, against the same native figure.</summary>
    public Comparison RestoreFromStartThroughput => Comparison.Of(Runs, r => r.Side, r => r.RestoreFromStartMegabytesPerSecond);

    public Comparison PointInTimeSeconds => Comparison.Of(Runs, r => r.Side, r => r.PointInTime.TotalSeconds);
}
