namespace PostgresReplication.Benchmarks;

public enum CommitMode
{
    Asynchronous,
    Synchronous,
}

/// <summary>One load run on one side: what pgbench did and what the sampler saw.</summary>
public sealed record LagRun(string Side, CommitMode Mode, int Repetition, PgbenchReport Pgbench, IReadOnlyList<LagSample> Samples)
{
    /// <summary>Replay lag in bytes over the readings that succeeded.</summary>
    public Summary Bytes => Statistics.Summarize(Samples.Where(s => s.Bytes is not null).Select(s => (double)s.Bytes!.Value));

    /// <summary>replay_lag in ms over the readings that had one; null when the server reported none at all.</summary>
    public Summary? ReplayLagMs =>
        Samples.Where(s => s.ReplayLagMs is not null).Select(s => s.ReplayLagMs!.Value).ToList() is { Count: > 0 } values
            ? Statistics.Summarize(values)
            : null;
}

public sealed record LagResult(
    IReadOnlyList<LagRun> Runs, int Rate, int Clients, TimeSpan Duration, int Scale, string SynchronousCommit, TimeSpan SampleInterval)
{
    public IEnumerable<LagRun> Of(string side, CommitMode mode) => Runs.Where(r => r.Side == side && r.Mode == mode);

    /// <summary>A per-run figure (say the p99 of bytes), one value per repetition on each side.</summary>
    public Comparison Figure(CommitMode mode, Func<LagRun, double> figure) => new(
        [.. Of(Sides.Container, mode).Select(figure)],
        [.. Of(Sides.Native, mode).Select(figure)]);

    /// <summary>The run whose p99 is the median of its side's runs: the one the plot shows.</summary>
    public LagRun Representative(string side, CommitMode mode)
    {
        var runs = Of(side, mode).OrderBy(r => r.Bytes.P99).ToList();
        return runs.Count > 0 ? runs[(runs.Count - 1) / 2] : throw new InvalidOperationException($"No {mode} run on the {side} side.");
    }
}
