using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// pgbench through HAProxy's read-write port with no fault injected, while each member is asked
/// every 100 ms whether it accepts writes: any leader change meanwhile is a false failover (load
/// alone made a member lose its key). The leader's timeline before and after counts the promotions
/// the sampler could miss.
/// </summary>
internal static class FalseFailoverWatcher
{
    public static async Task<FalseFailoverWatch> RunAsync(
        HaCluster ha, HaClusterChaos chaos, HaBenchmarkOptions options, Stopwatch clock, Action<string> log, CancellationToken ct)
    {
        var pgbench = new PgbenchRunner(options.Pgbench);
        var readWrite = ha.Proxy.Endpoint;
        await pgbench.InitializeAsync(readWrite, options.PgbenchScale, ct);
        var before = await LeaderTimelineAsync(ha, ct);
        var tally = new WritableTally();
        using var stopSampler = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampling = Task.Run(() => new WritableSampler(chaos.Observed, tally, clock, log).RunAsync(stopSampler.Token), CancellationToken.None);
        PgbenchReport? report = null;
        string? error = null;
        log($"pgbench -c {options.PgbenchClients} for {options.PgbenchDuration.TotalSeconds:0} s through HAProxy, no fault injected");
        try
        {
            report = await pgbench.RunUnthrottledAsync(readWrite, options.PgbenchClients, options.PgbenchDuration, ct);
        }
        catch (BenchmarkException e)
        {
            // A failover cuts pgbench's connections: that is what is counted, not a reason to stop.
            error = e.Message;
            log($"pgbench failed: {e.Message}");
        }
        finally
        {
            await stopSampler.CancelAsync();
            await sampling;
        }

        var after = await LeaderTimelineAsync(ha, ct);
        var samples = tally.Summary();
        var watch = new FalseFailoverWatch(
            options.PgbenchDuration, options.PgbenchClients, report, error, samples.Failovers, samples.SplitBrain.Count, before, after);
        log($"pgbench {(report is null ? "failed" : $"{report.Tps:0} tps")}: {watch.LeaderChanges} leader change(s) seen, " +
            $"timeline {before} -> {after}, {samples.SplitBrain.Count} moment(s) with two writable members");
        return watch;
    }

    /// <summary>The leader's timeline as Patroni reports it, once there is a leader.</summary>
    private static Task<long> LeaderTimelineAsync(HaCluster ha, CancellationToken ct) =>
        Wait.UntilAsync(
            "a leader with a timeline in Patroni's view",
            async token => (await ha.ClusterViewAsync(ha.Members, token)).Leader is { Timeline: { } timeline }
                ? Probe<long>.Done(timeline)
                : Probe<long>.NotYet("no running leader with a timeline"),
            ha.Options.WaitTimeout,
            ct);
}
