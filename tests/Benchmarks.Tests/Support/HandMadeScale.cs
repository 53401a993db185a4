namespace PostgresReplication.Benchmarks.Tests.Support;

/// <summary>Scale results made by hand, each figure meeting its bar unless a test gives its own.</summary>
internal static class HandMadeScale
{
    private static IReadOnlyList<LagSample> Readings(long bytes) =>
        [.. Enumerable.Range(0, 10).Select(i => new LagSample(TimeSpan.FromMilliseconds(25 * i), bytes, null))];

    public static FanOutRun FanOutRun(string side, int standbys, int round, params (string Name, long Bytes)[] lags) =>
        new(side, standbys, round, HandMadeResults.Pgbench, lags.ToDictionary(l => l.Name, l => Readings(l.Bytes)), WalSenderCpuSeconds: 0.5);

    public static LagRun SaturationRun(string side, int round, double tps, long lagBytes) =>
        new(side, CommitMode.Asynchronous, round, HandMadeResults.Pgbench with { Tps = tps }, Readings(lagBytes));

    public static BootstrapResult Bootstrap(int scale, long containerBytesPerSecond, long nativeBytesPerSecond) =>
        HandMadeResults.Bootstrap(containerBytesPerSecond, nativeBytesPerSecond) with { Scale = scale };

    public static ScaleResults Results(
        IReadOnlyList<BootstrapResult>? bootstrap = null, CatchUpResult? catchUp = null, SaturationResult? saturation = null, FanOutResult? fanOut = null) =>
        new(
            new DateTimeOffset(2026, 12, 4, 18, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(75), HandMadeResults.Machine, "3.10 2.90 2.50",
            bootstrap ?? [Bootstrap(68, 100_000_000, 100_000_000)],
            catchUp ?? new CatchUpResult(
                [new CatchUpRun(Sides.Container, 1, 2_000_000_000, TimeSpan.FromSeconds(10)), new CatchUpRun(Sides.Native, 1, 2_000_000_000, TimeSpan.FromSeconds(10))]),
            saturation ?? new SaturationResult(
                [SaturationRun(Sides.Container, 1, 1000, 1000), SaturationRun(Sides.Native, 1, 1000, 1000)], Clients: 8, Duration: TimeSpan.FromSeconds(60)),
            fanOut ?? new FanOutResult(
                [FanOutRun(Sides.Container, 1, 1, ("standby_1", 1000)), FanOutRun(Sides.Native, 1, 1, ("standby_1", 1000))],
                Rate: 200, Duration: TimeSpan.FromSeconds(30)));
}
