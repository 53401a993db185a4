namespace PostgresReplication.Benchmarks.Tests.Support;

/// <summary>HA benchmark results made by hand: every bar met unless a test gives its own figures.</summary>
internal static class HandMadeHa
{
    public static HaTrial Trial(HaLoss loss, int number, double firstWrite) =>
        new(loss, number, "member-1", "member-2", 0.2, firstWrite, firstWrite + 10);

    public static FalseFailoverWatch Watch(int leaderChanges = 0, long timelineAfter = 3, int splitBrain = 0) =>
        new(TimeSpan.FromMinutes(10), 4, HandMadeResults.Pgbench, null, leaderChanges, splitBrain, 3, timelineAfter);

    public static HaTimingResult Timing(
        PatroniTiming timing, double[]? killed = null, double[]? postgres = null, double[]? stop = null,
        FalseFailoverWatch? watch = null, long[]? missing = null)
    {
        List<HaTrial> trials =
        [
            .. (killed ?? [20.5, 21.0, 21.5]).Select((s, i) => Trial(HaLoss.ContainerKilled, i + 1, s)),
            .. (postgres ?? [3.0, 3.5, 4.0]).Select((s, i) => Trial(HaLoss.PostgresKilled, i + 1, s)),
            .. (stop ?? [1.5, 2.0, 2.5]).Select((s, i) => Trial(HaLoss.CleanStop, i + 1, s)),
        ];
        var writes = new WriteTally(100, [.. Enumerable.Range(1, 100).Select(i => (long)i)], 12, new WriteGap(TimeSpan.Zero, TimeSpan.FromSeconds(21)));
        var rows = new RowAudit(missing ?? [], [], 100, 0);
        return new HaTimingResult(timing, trials, watch ?? Watch(), writes, rows);
    }

    public static HaBenchmarkResults Results(params HaTimingResult[] timings) =>
        new(
            new DateTimeOffset(2026, 12, 4, 21, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(60),
            new HaSetup(2, "20.10.24", "postgres-replication:18-ha", "18.1", "patroni 4.1.5", "strict", 3),
            "1.00 1.10 1.20", "2.00 1.50 1.30",
            timings.Length > 0 ? timings : [Timing(PatroniTiming.PatroniDefaults, killed: [29.0, 30.0, 31.0]), Timing(PatroniTiming.Recommended)]);
}
