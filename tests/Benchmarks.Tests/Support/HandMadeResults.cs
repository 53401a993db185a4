namespace PostgresReplication.Benchmarks.Tests.Support;

/// <summary>Results made by hand, as the benchmarks would return them: no server, no container, nothing started.</summary>
internal static class HandMadeResults
{
    public static readonly PgbenchReport Pgbench = new(Tps: 198.2, LatencyAverageMs: 6.1, Transactions: 3964, FailedTransactions: 0);

    /// <summary>One cycle run per value on each side; the whole total sits in StartPrimary.</summary>
    public static CycleResult Cycle(double[] containerSeconds, double[] nativeSeconds) => new(
    [
        .. containerSeconds.Select((s, i) => CycleRun(Sides.Container, i + 1, s)),
        .. nativeSeconds.Select((s, i) => CycleRun(Sides.Native, i + 1, s)),
    ]);

    public static CycleResult Cycle(double containerSeconds, double nativeSeconds) => Cycle([containerSeconds], [nativeSeconds]);

    public static CycleRun CycleRun(string side, int repetition, double totalSeconds) =>
        new(side, repetition, TimeSpan.FromSeconds(totalSeconds), TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>A run whose every reading is <paramref name="bytes"/> behind, so each percentile is that value.</summary>
    public static LagRun LagRun(string side, CommitMode mode, int repetition, long bytes, double? replayLagMs = 1.5) =>
        new(side, mode, repetition, Pgbench, [.. Enumerable.Range(0, 10).Select(i => new LagSample(TimeSpan.FromMilliseconds(100 * i), bytes, replayLagMs))]);

    /// <summary>One run per mode and side: asynchronous at the given lags, synchronous at zero.</summary>
    public static LagResult Lag(long containerAsyncBytes, long nativeAsyncBytes) => Lag(
    [
        LagRun(Sides.Container, CommitMode.Asynchronous, 1, containerAsyncBytes),
        LagRun(Sides.Native, CommitMode.Asynchronous, 1, nativeAsyncBytes),
        LagRun(Sides.Container, CommitMode.Synchronous, 1, 0),
        LagRun(Sides.Native, CommitMode.Synchronous, 1, 0),
    ]);

    public static LagResult Lag(IReadOnlyList<LagRun> runs) =>
        new(runs, Rate: 200, Clients: 4, Duration: TimeSpan.FromSeconds(20), Scale: 10, SynchronousCommit: "on", SampleInterval: TimeSpan.FromMilliseconds(100));

    /// <summary>One bootstrap per side, each taking one second, so its throughput is its size in MB.</summary>
    public static BootstrapResult Bootstrap(long containerBytesPerSecond, long nativeBytesPerSecond) => new(
        [
            new BootstrapRun(Sides.Container, 1, containerBytesPerSecond, TimeSpan.FromSeconds(1)),
            new BootstrapRun(Sides.Native, 1, nativeBytesPerSecond, TimeSpan.FromSeconds(1)),
        ],
        Scale: 70, ContainerDataBytes: containerBytesPerSecond, NativeDataBytes: nativeBytesPerSecond,
        ContainerLoad: TimeSpan.FromSeconds(30), NativeLoad: TimeSpan.FromSeconds(30));

    /// <summary>One failover run per value on each side; the primary gone at once, every standby streaming a second after the write.</summary>
    public static FailoverResult Failover(double[] containerSeconds, double[] nativeSeconds) => new(
    [
        .. containerSeconds.Select((s, i) => FailoverRun(Sides.Container, i + 1, s)),
        .. nativeSeconds.Select((s, i) => FailoverRun(Sides.Native, i + 1, s)),
    ]);

    public static FailoverResult Failover(double containerSeconds, double nativeSeconds) => Failover([containerSeconds], [nativeSeconds]);

    public static FailoverRun FailoverRun(string side, int repetition, double writableSeconds) =>
        new(side, repetition, TimeSpan.Zero, TimeSpan.FromSeconds(writableSeconds), TimeSpan.FromSeconds(writableSeconds + 1));

    public static ImageSizeResult Image(long layerBytes) =>
        new("postgres-replication:15", "postgres:15", 425_000_000 + layerBytes, 425_000_000, AddedLayers: 3);

    public static MachineInfo Machine => new(
        Cores: 2, CpuModel: "AMD EPYC 7763", MemoryGiB: 7.8, OperatingSystem: "Debian GNU/Linux 12 (bookworm)", Kernel: "6.1.0-18-amd64",
        EngineVersion: "27.3.1", NativePostgres: "15.10", ContainerPostgres: "15.10-1.pgdg120+1", LoadAverageAtStart: "0.52 0.61 0.70");

    /// <summary>Without a failover given, one that meets its target: a second on each side.</summary>
    public static BenchmarkResults Results(
        CycleResult cycle, LagResult lag, BootstrapResult bootstrap, ImageSizeResult image, FailoverResult? failover = null)
    {
        var failedOver = failover ?? Failover(1.0, 1.0);
        return new(
            new DateTimeOffset(2025, 3, 14, 9, 26, 0, TimeSpan.Zero), TimeSpan.FromMinutes(7.5), Machine, "0.90 0.80 0.75",
            image, cycle, lag, bootstrap, failedOver, Thresholds.Judge(cycle, lag, bootstrap, failedOver, image),
            "docs/benchmarks.md", "docs/replication-lag.png");
    }
}
