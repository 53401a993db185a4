namespace PostgresReplication.Benchmarks;

/// <summary>Everything one run measured, where it was written, and the verdict on each target.</summary>
public sealed record BenchmarkResults(
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    MachineInfo Machine,
    string LoadAverageAtEnd,
    ImageSizeResult Image,
    CycleResult Cycle,
    LagResult Lag,
    BootstrapResult Bootstrap,
    FailoverResult Failover,
    IReadOnlyList<TargetVerdict> Verdicts,
    string ReportPath,
    string PlotPath,
    CommandResult? Command = null)
{
    public bool AllTargetsMet => Verdicts.All(v => v.Met);
}
