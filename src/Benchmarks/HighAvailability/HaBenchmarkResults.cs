namespace PostgresReplication.Benchmarks;

/// <summary>
/// One trial: the leader lost one way, timed from the moment the fault was issued. The first write
/// is the first row sent after the old leader was gone and acknowledged through HAProxy's
/// read-write port, so no commit of the old leader counts.
/// </summary>
/// <param name="GoneSeconds">When the fault had taken effect (container exited, postmaster gone, container stopped).</param>
/// <param name="FirstWriteSeconds">The figure: when the first such row was acknowledged.</param>
/// <param name="WholeSeconds">When the cluster was whole again: a leader and both others streaming from it.</param>
public sealed record HaTrial(
    HaLoss Loss, int Number, string OldLeader, string NewLeader, double GoneSeconds, double FirstWriteSeconds, double WholeSeconds);

/// <summary>pgbench through HAProxy with no fault, and the failovers seen meanwhile.</summary>
/// <param name="LeaderChanges">The one writable member becoming another, sampled every 100 ms on each member.</param>
/// <param name="TimelineBefore">The leader's timeline before pgbench; every promotion adds one.</param>
/// <param name="PgbenchError">Why pgbench failed, when it did (a failover cuts its connections); else null.</param>
public sealed record FalseFailoverWatch(
    TimeSpan Duration, int Clients, PgbenchReport? Pgbench, string? PgbenchError, int LeaderChanges, int SplitBrainMoments,
    long TimelineBefore, long TimelineAfter)
{
    public long Promotions => TimelineAfter - TimelineBefore;

    /// <summary>The larger of the two counts: a promotion the sampler missed still counts.</summary>
    public long FalseFailovers => Math.Max(LeaderChanges, Promotions);
}

/// <summary>Everything measured on one timing's cluster.</summary>
public sealed record HaTimingResult(PatroniTiming Timing, IReadOnlyList<HaTrial> Trials, FalseFailoverWatch Watch, WriteTally Writes, RowAudit Rows)
{
    public IReadOnlyList<HaTrial> Of(HaLoss loss) => [.. Trials.Where(t => t.Loss == loss)];

    /// <summary>Min, median, max of the first-write times of one way of losing the leader; null without trials.</summary>
    public Summary? FirstWrite(HaLoss loss) =>
        Of(loss) is { Count: > 0 } trials ? Statistics.Summarize(trials.Select(t => t.FirstWriteSeconds)) : null;
}

/// <summary>The whole run.</summary>
public sealed record HaBenchmarkResults(
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    HaSetup Setup,
    string LoadAverageAtStart,
    string LoadAverageAtEnd,
    IReadOnlyList<HaTimingResult> Timings);

/// <summary>What the run ran on: machine, engine, versions, synchronous mode.</summary>
public sealed record HaSetup(int Cores, string EngineVersion, string Image, string PostgresVersion, string PatroniVersion, string SynchronousMode, int TrialsPerLoss);
