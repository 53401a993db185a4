namespace PostgresReplication.Benchmarks;

/// <summary>One cycle on one side: how long each pipeline step took, from starting the primary to a verified row.</summary>
public sealed record CycleRun(
    string Side, int Repetition, TimeSpan StartPrimary, TimeSpan StartStandby, TimeSpan Seed, TimeSpan AssertReplication)
{
    public TimeSpan Total => StartPrimary + StartStandby + Seed + AssertReplication;
}

public sealed record CycleResult(IReadOnlyList<CycleRun> Runs)
{
    /// <summary>Seconds from starting the primary to a verified row on the standby.</summary>
    public Comparison Total => Of(r => r.Total);

    public Comparison Step(Func<CycleRun, TimeSpan> step) => Of(step);

    private Comparison Of(Func<CycleRun, TimeSpan> figure) => new(
        [.. Runs.Where(r => r.Side == Sides.Container).Select(r => figure(r).TotalSeconds)],
        [.. Runs.Where(r => r.Side == Sides.Native).Select(r => figure(r).TotalSeconds)]);
}
