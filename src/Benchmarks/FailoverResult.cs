namespace PostgresReplication.Benchmarks;

/// <summary>
/// One failover on one side, every time taken from the kill of the primary: until it had exited,
/// until the promoted standby committed a write, until the former primary streamed from it again.
/// </summary>
public sealed record FailoverRun(string Side, int Repetition, TimeSpan PrimaryGone, TimeSpan Writable, TimeSpan AllStreaming);

public sealed record FailoverResult(IReadOnlyList<FailoverRun> Runs)
{
    /// <summary>Seconds from the kill to the first committed write on the promoted standby: the figure its threshold judges.</summary>
    public Comparison Writable => Of(r => r.Writable);

    /// <summary>Seconds from the kill to every standby, the rejoined former primary too, streaming again.</summary>
    public Comparison AllStreaming => Of(r => r.AllStreaming);

    public Comparison Step(Func<FailoverRun, TimeSpan> step) => Of(step);

    private Comparison Of(Func<FailoverRun, TimeSpan> figure) => new(
        [.. Runs.Where(r => r.Side == Sides.Container).Select(r => figure(r).TotalSeconds)],
        [.. Runs.Where(r => r.Side == Sides.Native).Select(r => figure(r).TotalSeconds)]);
}
