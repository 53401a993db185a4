namespace PostgresReplication.Benchmarks;

/// <summary>
/// Scale figure 3: pgbench unthrottled (<see cref="ScaleOptions.SaturationClients"/> clients) against
/// a primary with one asynchronous standby, for <see cref="ScaleOptions.SaturationDuration"/>: the
/// primary's TPS and the standby's replay lag in bytes, read every LagSampleInterval and pooled over the
/// rounds as the lag figure is. One pair per side serves every round; each round starts from a checkpoint
/// with the standby caught up.
/// </summary>
internal sealed class SaturationBenchmark(BenchmarkContext context, ScaleOptions scale)
{
    private const string StandbyName = "standby-1";

    public async Task<SaturationResult> RunAsync(CancellationToken ct)
    {
        var pgbench = new PgbenchRunner(context.Options.Pgbench);
        await using var container = await context.NewPairAsync(Sides.Container, ct);
        await using var native = await context.NewPairAsync(Sides.Native, ct);
        var standbys = new Dictionary<string, (IReplicationPair Pair, string ApplicationName)>();
        foreach (var pair in new[] { container, native })
        {
            await pair.StartPrimaryAsync(ct);
            standbys[pair.Side] = (pair, await pair.StartStandbyAsync(StandbyName, ct));
            await pgbench.InitializeAsync(pair.Primary, scale.LoadScale, ct);
        }

        var runs = new List<LagRun>();
        for (var round = 0; round < scale.Rounds; round++)
        {
            foreach (var side in Sides.InOrder(round))
            {
                var (pair, applicationName) = standbys[side];
                runs.Add(await RunOnceAsync(pgbench, pair, side, pair.Primary, applicationName, round, ct));
                if (pair is ContainerPair onBridge)
                {
                    // The same primary with pgbench not through docker-proxy: how much of the gap is the engine's port forwarding.
                    var bridge = await onBridge.PrimaryOnBridgeAsync(ct);
                    runs.Add(await RunOnceAsync(pgbench, pair, Sides.ContainerOnBridge, bridge, applicationName, round, ct));
                }
            }
        }

        return new SaturationResult(runs, scale.SaturationClients, scale.SaturationDuration);
    }

    private async Task<LagRun> RunOnceAsync(
        PgbenchRunner pgbench, IReplicationPair pair, string side, PgEndpoint target, string applicationName, int round, CancellationToken ct)
    {
        await PrimaryAdmin.CheckpointAsync(pair.Primary, ct);
        await LagBenchmark.WaitUntilCaughtUpAsync(pair, applicationName, ct);
        var (report, samples) = await LoadSampler.RunAsync(
            pair.Primary, [applicationName], context.Options.LagSampleInterval,
            token => pgbench.RunUnthrottledAsync(target, scale.SaturationClients, scale.SaturationDuration, token), ct);
        var run = new LagRun(side, CommitMode.Asynchronous, round + 1, report, samples[applicationName]);
        context.Log(
            $"saturation {run.Repetition}/{scale.Rounds} {side,-9}: {report.Tps:0} tps ({scale.SaturationClients} clients), " +
            $"lag p50 {run.Bytes.P50:0} B, p99 {run.Bytes.P99:0} B");
        return run;
    }
}

/// <summary>The saturating runs: TPS per run on each side, and the standby's replay lag pooled over a side's runs.</summary>
public sealed record SaturationResult(IReadOnlyList<LagRun> Runs, int Clients, TimeSpan Duration)
{
    public Comparison Tps => Comparison.Of(Runs, r => r.Side, r => r.Pgbench.Tps);

    public Comparison RunP99 => Comparison.Of(Runs, r => r.Side, r => r.Bytes.P99);

    /// <summary>The container reached at its bridge address against native: what is left without docker-proxy.</summary>
    public Comparison TpsOnBridge => Comparison.Of(Runs, r => r.Side, r => r.Pgbench.Tps, Sides.ContainerOnBridge);

    public Comparison RunP99OnBridge => Comparison.Of(Runs, r => r.Side, r => r.Bytes.P99, Sides.ContainerOnBridge);

    public Summary Pooled(string side) => LagRun.Pool(Runs.Where(r => r.Side == side));
}

/// <summary>A load on a primary while the lag of one or more of its standbys is read from it, each by its own sampler.</summary>
internal static class LoadSampler
{
    public static async Task<(PgbenchReport Report, IReadOnlyDictionary<string, IReadOnlyList<LagSample>> Samples)> RunAsync(
        PgEndpoint primary, IReadOnlyList<string> applicationNames, TimeSpan interval,
        Func<CancellationToken, Task<PgbenchReport>> load, CancellationToken ct)
    {
        using var stop = new CancellationTokenSource();
        var sampling = applicationNames.ToDictionary(n => n, n => new LagSampler(primary, n, interval).SampleAsync(stop.Token, ct));
        PgbenchReport report;
        try
        {
            report = await load(ct);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(sampling.Values);
        }

        var samples = new Dictionary<string, IReadOnlyList<LagSample>>();
        foreach (var (name, task) in sampling)
        {
            samples[name] = await task;
            if (samples[name].Count(s => s.Bytes is not null) == 0)
            {
                throw new BenchmarkException($"No reading of {name}'s replay lag on {primary} succeeded during the load.");
            }
        }

        return (report, samples);
    }
}
