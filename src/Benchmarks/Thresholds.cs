using System.Globalization;

namespace PostgresReplication.Benchmarks;

/// <summary>The thresholds the figures are judged against; each is judged on medians over the repetitions. Pure.</summary>
public static class Thresholds
{
    /// <summary>The container cycle takes at most this many times the native one.</summary>
    public const double CycleMaxRatio = 1.5;

    /// <summary>Asynchronous replay lag p99 (bytes) is at most this many times native's, at the same rate.</summary>
    public const double AsyncLagP99MaxRatio = 1.2;

    /// <summary>A container standby bootstraps at least this share of native pg_basebackup's throughput.</summary>
    public const double BootstrapMinShare = 0.9;

    /// <summary>The container's failover, from the kill to a write on the promoted standby, takes at most this many times the native one.</summary>
    public const double FailoverMaxRatio = 1.5;

    /// <summary>`./build.sh Test` in a new process, wall time, takes at most this many times the native cycle.</summary>
    public const double CommandWallMaxRatio = 2.0;

    /// <summary>The cycle inside that new process takes at most this many times the native cycle.</summary>
    public const double ColdCycleMaxRatio = 1.3;

    /// <summary>A new process reaches a ready primary at most this much later than the warm process of figure 1.</summary>
    public static readonly TimeSpan ColdPrimaryMaxExtra = TimeSpan.FromSeconds(0.5);

    /// <summary>Our layers add less than this to the base image (1 MB = 10^6 bytes).</summary>
    public const long LayerMaxBytes = 1_000_000;

    public static IReadOnlyList<ThresholdVerdict> Judge(
        CycleResult cycle, LagResult lag, BootstrapResult bootstrap, FailoverResult failover, ImageSizeResult image)
    {
        var cycleRatio = cycle.Total.MedianRatio;
        // Pooled over every reading of every run: the median of per-run p99 values flipped between reports.
        var lagP99 = lag.PooledRatio(CommitMode.Asynchronous, s => s.P99);
        var lagRatio = lagP99.Ratio;
        var share = bootstrap.Throughput.MedianRatio;
        var failoverRatio = failover.Writable.MedianRatio;
        return
        [
            new ThresholdVerdict(
                "Cycle (primary start to verified row)", $"≤ {CycleMaxRatio.ToString(CultureInfo.InvariantCulture)}x native",
                Ratio(cycleRatio), cycleRatio <= CycleMaxRatio),
            new ThresholdVerdict(
                "Async replay lag p99 (bytes, all runs' readings pooled)", $"≤ {AsyncLagP99MaxRatio.ToString(CultureInfo.InvariantCulture)}x native at {lag.Rate} tps",
                $"{(lagRatio is null ? "n/a" : Ratio(lagRatio))} ({Bytes(lagP99.Container)} B against {Bytes(lagP99.Native)} B, " +
                $"{lagP99.ContainerPool.Count.ToString("N0", CultureInfo.InvariantCulture)} and {lagP99.NativePool.Count.ToString("N0", CultureInfo.InvariantCulture)} readings)",
                lagRatio is null ? lagP99.Container == 0 : lagRatio <= AsyncLagP99MaxRatio),
            new ThresholdVerdict(
                "Standby bootstrap throughput", $"≥ {BootstrapMinShare:0%} of native",
                share is null ? "n/a" : share.Value.ToString("0%", CultureInfo.InvariantCulture), share >= BootstrapMinShare),
            new ThresholdVerdict(
                "Failover (kill to a writable primary)", $"≤ {FailoverMaxRatio.ToString(CultureInfo.InvariantCulture)}x native",
                Ratio(failoverRatio), failoverRatio <= FailoverMaxRatio),
            new ThresholdVerdict(
                "Image layer size", $"< {LayerMaxBytes / 1e6:0} MB",
                $"{image.LayerBytes.ToString("N0", CultureInfo.InvariantCulture)} B", image.LayerBytes < LayerMaxBytes),
        ];
    }

    /// <summary>Figure 6's targets; none when the run left the figure out.</summary>
    public static IReadOnlyList<ThresholdVerdict> JudgeCommand(CommandResult? command)
    {
        if (command is null)
        {
            return [];
        }

        // As the issue states it: what the user waits for against the native pair's cycle alone.
        var wallRatio = Statistics.Ratio(command.Wall.ContainerSummary.Median, command.Cycle.NativeSummary.Median);
        var cycleRatio = command.Cycle.MedianRatio;
        var coldPrimary = command.PrimaryReady.ContainerSummary.Median;
        var warmPrimary = command.WarmPrimaryReadySummary.Median;
        var extra = coldPrimary - warmPrimary;
        return
        [
            new ThresholdVerdict(
                "`./build.sh Test`, new process, wall time", $"≤ {CommandWallMaxRatio.ToString("0.0", CultureInfo.InvariantCulture)}x the native cycle",
                Ratio(wallRatio), wallRatio <= CommandWallMaxRatio),
            new ThresholdVerdict(
                "Cycle inside that new process", $"≤ {ColdCycleMaxRatio.ToString(CultureInfo.InvariantCulture)}x the native cycle",
                Ratio(cycleRatio), cycleRatio <= ColdCycleMaxRatio),
            new ThresholdVerdict(
                "Ready primary: new process against a warm one in the same rounds", $"≤ {ColdPrimaryMaxExtra.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s later",
                $"{extra.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)} s ({coldPrimary.ToString("0.00", CultureInfo.InvariantCulture)} s against {warmPrimary.ToString("0.00", CultureInfo.InvariantCulture)} s)",
                extra <= ColdPrimaryMaxExtra.TotalSeconds),
        ];
    }

    private static string Bytes(double bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ratio(double? ratio) => ratio is { } r ? $"{r.ToString("0.00", CultureInfo.InvariantCulture)}x" : "n/a";
}

/// <summary>One threshold of the issue, what was measured against it, and whether it is met.</summary>
public sealed record ThresholdVerdict(string Figure, string Threshold, string Measured, bool Met);
