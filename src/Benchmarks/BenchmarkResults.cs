namespace PostgresReplication.Benchmarks;

/// <summary>Everything one run measured, where it was written, and the verdict on each threshold.</summary>
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
    IReadOnlyList<ThresholdVerdict> Verdicts,
    string ReportPath,
    string PlotPath)
{
    public bool AllThresholdsMet => Verdicts.All(v => v.Met);
}
