namespace PostgresReplication.Benchmarks;

/// <summary>
/// Scale figure 4: 1, 2, 4 and 8 standbys (<see cref="ScaleOptions.FanOutStandbys"/>) on one primary
/// under the same fixed-rate pgbench load: the primary's TPS, each standby's replay lag, and the CPU the
/// primary's WAL senders used, read from the host's /proc below the postmaster's host PID on both sides.
/// One pair per side; standbys are added as the count grows, so each count starts from the last one.
/// Each count starts with one untimed run per side: the first run after a standby joins measured a
/// lag p99 ten times the others' on the native side in every run (0.37-0.75 MB against 25-65 kB),
/// which alone decided the ratio at one standby.
/// </summary>
internal sealed class FanOutBenchmark(BenchmarkContext context, ScaleOptions scale)
{
    public async Task<FanOutResult> RunAsync(CancellationToken ct)
    {
        var pgbench = new PgbenchRunner(context.Options.Pgbench);
        await using var container = await context.NewPairAsync(Sides.Container, ct);
        await using var native = await context.NewPairAsync(Sides.Native, ct);
        var pairs = new Dictionary<string, (IReplicationPair Pair, List<string> Standbys)>();
        foreach (var pair in new[] { container, native })
        {
            await pair.StartPrimaryAsync(ct);
            await pgbench.InitializeAsync(pair.Primary, scale.LoadScale, ct);
            pairs[pair.Side] = (pair, []);
        }

        var runs = new List<FanOutRun>();
        foreach (var count in scale.FanOutStandbys.Order())
        {
            foreach (var (pair, standbys) in pairs.Values)
            {
                while (standbys.Count < count)
                {
                    standbys.Add(await pair.StartStandbyAsync($"standby-{standbys.Count + 1}", ct));
                }
            }

            foreach (var side in Sides.InOrder(0))
            {
                var (pair, standbys) = pairs[side];
                var warmUp = await RunOnceAsync(pgbench, pair, standbys, 0, ct);
                context.Log($"fan-out {count} standby(s) warm-up {side,-9}: {warmUp.Pgbench.Tps:0} tps, lag p99 {warmUp.PooledLag.P99:0} B (not counted)");
            }

            for (var round = 0; round < scale.Rounds; round++)
            {
                foreach (var side in Sides.InOrder(round))
                {
                    var (pair, standbys) = pairs[side];
                    var run = await RunOnceAsync(pgbench, pair, standbys, round + 1, ct);
                    runs.Add(run);
                    context.Log(
                        $"fan-out {count} standby(s) {run.Round}/{scale.Rounds} {side,-9}: {run.Pgbench.Tps:0} tps, " +
                        $"lag p99 {run.PooledLag.P99:0} B over all standbys, WAL senders {run.WalSenderCpuSeconds:0.00} s CPU");
                }
            }
        }

        return new FanOutResult(runs, scale.FanOutRate, scale.FanOutDuration);
    }

    private async Task<FanOutRun> RunOnceAsync(
        PgbenchRunner pgbench, IReplicationPair pair, IReadOnlyList<string> standbys, int round, CancellationToken ct)
    {
        await PrimaryAdmin.CheckpointAsync(pair.Primary, ct);
        foreach (var standby in standbys)
        {
            await LagBenchmark.WaitUntilCaughtUpAsync(pair, standby, ct);
        }

        var postmaster = await pair.PrimaryPostmasterPidAsync(ct);
        var before = WalSenderCpu.Snapshot(postmaster);
        var (report, samples) = await LoadSampler.RunAsync(
            pair.Primary, standbys, context.Options.LagSampleInterval,
            token => pgbench.RunAtRateAsync(pair.Primary, scale.FanOutRate, context.Options.LagClients, scale.FanOutDuration, token), ct);
        var cpu = WalSenderCpu.Seconds(before, WalSenderCpu.Snapshot(postmaster));
        return new FanOutRun(pair.Side, standbys.Count, round, report, samples, cpu);
    }
}

/// <summary>One fan-out run: the load's report, each standby's lag readings (by application_name), and the WAL senders' CPU.</summary>
public sealed record FanOutRun(
    string Side, int Standbys, int Round, PgbenchReport Pgbench, IReadOnlyDictionary<string, IReadOnlyList<LagSample>> Samples, double WalSenderCpuSeconds)
{
    /// <summary>Replay lag in bytes over every reading of every standby of the run.</summary>
    public Summary PooledLag => Statistics.Summarize(Samples.Values.SelectMany(s => s).Where(s => s.Bytes is not null).Select(s => (double)s.Bytes!.Value));

    /// <summary>The p99 of each standby's own readings, in application_name order.</summary>
    public IReadOnlyList<double> StandbyP99 =>
        [.. Samples.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => Statistics.Summarize(s.Value.Where(v => v.Bytes is not null).Select(v => (double)v.Bytes!.Value)).P99)];
}

public sealed record FanOutResult(IReadOnlyList<FanOutRun> Runs, int Rate, TimeSpan Duration)
{
    public IReadOnlyList<int> Counts => [.. Runs.Select(r => r.Standbys).Distinct().Order()];

    public Comparison Figure(int standbys, Func<FanOutRun, double> figure) =>
        Comparison.Of([.. Runs.Where(r => r.Standbys == standbys)], r => r.Side, figure);

    /// <summary>Replay lag p99 over every reading of every standby of every round of that count, container over native.</summary>
    public double? PooledLagRatio(int standbys)
    {
        Summary Pool(string side) => Statistics.Summarize(
            Runs.Where(r => r.Standbys == standbys && r.Side == side)
                .SelectMany(r => r.Samples.Values.SelectMany(s => s))
                .Where(s => s.Bytes is not null)
                .Select(s => (double)s.Bytes!.Value));
        return Statistics.Ratio(Pool(Sides.Container).P99, Pool(Sides.Native).P99);
    }
}
