namespace PostgresReplication.Benchmarks;

/// <summary>
/// Figure 2: replay lag under pgbench at a fixed rate, asynchronous then synchronous, on a
/// container pair and a native pair that stay up for all runs. Each run starts from a checkpoint
/// with the standby caught up, so runs (and sides) start from the same state.
/// </summary>
internal sealed class LagBenchmark(BenchmarkContext context)
{
    private const string StandbyName = "standby-1";
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(60);

    public async Task<LagResult> RunAsync(CancellationToken ct)
    {
        var options = context.Options;
        var pgbench = new PgbenchRunner(options.Pgbench);
        await using var container = await context.NewPairAsync(Sides.Container, ct);
        await using var native = await context.NewPairAsync(Sides.Native, ct);
        var pairs = new Dictionary<string, (IReplicationPair Pair, string Standby)>();
        foreach (var pair in new[] { container, native })
        {
            await pair.StartPrimaryAsync(ct);
            var standby = await pair.StartStandbyAsync(StandbyName, ct);
            await pgbench.InitializeAsync(pair.Primary, options.LagScale, ct);
            pairs[pair.Side] = (pair, standby);
            context.Log($"lag: {pair.Side} primary {pair.Primary} with {standby} streaming, pgbench scale {options.LagScale}");
        }

        var runs = new List<LagRun>();
        foreach (var mode in new[] { CommitMode.Asynchronous, CommitMode.Synchronous })
        {
            foreach (var (pair, standby) in pairs.Values)
            {
                await PrimaryAdmin.SetSynchronousAsync(
                    pair.Primary, mode == CommitMode.Synchronous ? standby : null, options.SynchronousCommit, ct);
            }

            for (var repetition = 0; repetition < options.Repetitions; repetition++)
            {
                foreach (var side in Sides.InOrder(repetition))
                {
                    var (pair, standby) = pairs[side];
                    var run = await RunOnceAsync(pgbench, pair, standby, mode, repetition + 1, ct);
                    runs.Add(run);
                    context.Log(
                        $"lag {mode.ToString().ToLowerInvariant()} {run.Repetition}/{options.Repetitions} {side,-9}: " +
                        $"{run.Pgbench.Tps:0.0} tps, latency {run.Pgbench.LatencyAverageMs:0.00} ms, " +
                        $"lag p50 {run.Bytes.P50:0} B, p99 {run.Bytes.P99:0} B, max {run.Bytes.Max:0} B ({run.Samples.Count} samples)");
                }
            }
        }

        return new LagResult(
            runs, options.LagRate, options.LagClients, options.LagDuration, options.LagScale, options.SynchronousCommit, options.LagSampleInterval);
    }

    private async Task<LagRun> RunOnceAsync(
        PgbenchRunner pgbench, IReplicationPair pair, string standby, CommitMode mode, int repetition, CancellationToken ct)
    {
        var options = context.Options;
        await PrimaryAdmin.CheckpointAsync(pair.Primary, ct);
        await WaitUntilCaughtUpAsync(pair, standby, ct);

        using var stop = new CancellationTokenSource();
        var sampler = new LagSampler(pair.Primary, standby, options.LagSampleInterval);
        var sampling = sampler.SampleAsync(stop.Token, ct);
        PgbenchReport report;
        try
        {
            report = await pgbench.RunAtRateAsync(pair.Primary, options.LagRate, options.LagClients, options.LagDuration, ct);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var samples = await sampling;
        RequireEnoughSamples(pair.Side, mode, samples);
        return new LagRun(pair.Side, mode, repetition, report, samples);
    }

    /// <summary>
    /// At most a tenth of the readings may have failed, and at least half the planned readings must
    /// have been taken (a slow read delays the next one); otherwise the figure would hide a gap.
    /// </summary>
    private void RequireEnoughSamples(string side, CommitMode mode, IReadOnlyList<LagSample> samples)
    {
        var planned = (int)(context.Options.LagDuration / context.Options.LagSampleInterval);
        var read = samples.Count(s => s.Bytes is not null);
        if (read < samples.Count * 0.9 || samples.Count < planned / 2)
        {
            throw new BenchmarkException(
                $"lag {mode} on the {side} side: {read} of {samples.Count} readings of pg_stat_replication succeeded " +
                $"({planned} planned); the standby was not listed or the primary did not answer in time.");
        }
    }

    /// <summary>Until the primary lists the standby with nothing left to replay (also used by the scale figures).</summary>
    internal static Task WaitUntilCaughtUpAsync(IReplicationPair pair, string standby, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{pair.Side} {standby} to replay everything its primary wrote",
            async token =>
            {
                var lag = await pair.Primary.ScalarAsync<long?>(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint FROM pg_stat_replication WHERE application_name = @name",
                    token, ("name", standby));
                return lag == 0 ? Probe<bool>.Done(true) : Probe<bool>.NotYet(lag is null ? "standby not listed" : $"{lag} B behind");
            },
            CatchUpTimeout,
            ct);
}

public enum CommitMode
{
    Asynchronous,
    Synchronous,
}

/// <summary>One load run on one side: what pgbench did and what the sampler saw.</summary>
public sealed record LagRun(string Side, CommitMode Mode, int Repetition, PgbenchReport Pgbench, IReadOnlyList<LagSample> Samples)
{
    /// <summary>Replay lag in bytes over every successful reading of all the given runs together.</summary>
    public static Summary Pool(IEnumerable<LagRun> runs) =>
        Statistics.Summarize(runs.SelectMany(r => r.Samples).Where(s => s.Bytes is not null).Select(s => (double)s.Bytes!.Value));

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

    /// <summary>
    /// Replay lag in bytes over every reading of every run of that side and mode, pooled: a p99 of
    /// 2,400 readings rests on its 24 highest, where the median of three per-run p99 values rested on
    /// one run and flipped the verdict between reports (1.00x, then 1.34x, same major).
    /// </summary>
    public Summary Pooled(string side, CommitMode mode) => LagRun.Pool(Of(side, mode));

    /// <summary>A pooled percentile of replay lag in bytes, container over native: the figure the lag threshold judges.</summary>
    public PooledLag PooledRatio(CommitMode mode, Func<Summary, double> percentile)
    {
        var container = Pooled(Sides.Container, mode);
        var native = Pooled(Sides.Native, mode);
        return new PooledLag(container, native, percentile(container), percentile(native), Statistics.Ratio(percentile(container), percentile(native)));
    }

    /// <summary>The run whose p99 is the median of its side's runs: the one the plot shows.</summary>
    public LagRun Representative(string side, CommitMode mode)
    {
        var runs = Of(side, mode).OrderBy(r => r.Bytes.P99).ToList();
        return runs.Count > 0 ? runs[(runs.Count - 1) / 2] : throw new InvalidOperationException($"No {mode} run on the {side} side.");
    }
}

/// <summary>One pooled percentile on both sides, the summaries it came from, and container over native (null when native is 0).</summary>
public sealed record PooledLag(Summary ContainerPool, Summary NativePool, double Container, double Native, double? Ratio);
