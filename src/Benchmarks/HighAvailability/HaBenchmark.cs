using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The HA failover figures (issue 19, item 5): for each Patroni timing, one cluster (three etcd,
/// three Patroni members, HAProxy) kept across its trials, as a real one is. A client writes rows
/// through HAProxy throughout (a new connection 100 ms after each error); each trial loses the
/// leader one way (the kinds in turn, so a change in load hits all alike), waits for the first row
/// sent after the loss to be acknowledged, and for the cluster to be whole again. Then pgbench runs
/// with no fault and leader changes are counted; last, every acknowledged row is looked for.
/// <para>
/// Time at the defaults on this 2-core machine, from the short runs of 2026-12-04: a cluster up in
/// about a minute; a round of the three kinds about 60 s with the recommended timing (a killed
/// container 21 s to the first write and 33 s to whole again, PostgreSQL alone 5 s and 9 s, a clean
/// stop 3 s and 12 s) and about 70 s with Patroni's defaults (30, 10, 16 s to whole again); 10 rounds
/// and 10 min of pgbench per timing: some 45-55 min in all.
/// </para>
/// </summary>
public static class HaBenchmark
{
    public const string ReportFileName = "benchmarks-ha.md";

    /// <summary>A failed write is retried after this: the figure's resolution.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the writer may take to finish its last INSERT once the cluster is whole.</summary>
    private static readonly TimeSpan WriterStopsWithin = TimeSpan.FromSeconds(60);

    public static async Task<HaBenchmarkResults> RunAsync(DockerEngine engine, HaBenchmarkOptions options, Action<string> log, CancellationToken ct)
    {
        options.Validate();
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = await MachineInfo.LoadAverageAsync(ct);
        log($"HA benchmark: {options.Trials} trial(s) per kind, pgbench {options.PgbenchDuration.TotalSeconds:0} s, load average {loadAtStart}");
        List<HaTimingResult> timings = [];
        HaSetup? setup = null;
        foreach (var timing in options.Timings)
        {
            var (result, measuredOn) = await OnOwnClusterAsync(engine, options, timing, log, ct);
            timings.Add(result);
            setup ??= measuredOn;
        }

        var results = new HaBenchmarkResults(startedAt, clock.Elapsed, setup!, loadAtStart, await MachineInfo.LoadAverageAsync(ct), timings);
        await ReportParts.WriteAsync(options.OutputDirectory, ReportFileName, HaBenchmarkReport.Render(results), HaBars.Judge(results), clock.Elapsed, log, ct);
        return results;
    }

    private static async Task<(HaTimingResult, HaSetup)> OnOwnClusterAsync(
        DockerEngine engine, HaBenchmarkOptions options, PatroniTiming timing, Action<string> log, CancellationToken ct)
    {
        var clusterOptions = new HaClusterOptions
        {
            Image = options.Image,
            SynchronousMode = options.SynchronousMode,
            MemberEnvironment = timing.MemberEnvironment(),
            WaitTimeout = options.WaitTimeout,
        };
        await using var ha = await HaCluster.CreateAsync(engine, clusterOptions, log, ct);
        try
        {
            return await MeasureAsync(ha, options, timing, log, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log("last lines of each container:");
            log(await ha.DumpLogsAsync(40, CancellationToken.None));
            throw new BenchmarkException($"HA benchmark with {timing.Name} ({timing}): {e.Message}", e);
        }
    }

    private static async Task<(HaTimingResult, HaSetup)> MeasureAsync(
        HaCluster ha, HaBenchmarkOptions options, PatroniTiming timing, Action<string> log, CancellationToken ct)
    {
        log($"HA benchmark: {timing.Name} ({timing}), synchronous mode {options.SynchronousMode}");
        await ha.StartAsync(ct);
        var chaos = await HaClusterChaos.AttachAsync(ha, timing.Ttl, ct);
        var clock = Stopwatch.StartNew();
        await new FaultInjector(chaos, clock, log).WaitUntilWholeAsync("the cluster to be whole (a leader, two replicas streaming)", ct);
        await Wait.UntilAsync(
            $"the read-write endpoint {chaos.ReadWrite} to take the table {ChaosWriter.Table}",
            async token =>
            {
                await chaos.ReadWrite.ExecuteAsync(ChaosWriter.CreateTableSql, token);
                return true;
            },
            FaultInjector.WholeAgainWithin,
            ct);
        var setup = await SetupAsync(ha, options, ct);

        var ledger = new WriteLedger();
        using var stopWriter = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = new ChaosWriter(chaos.ReadWrite, ledger, clock, log) { RetryPause = PollInterval };
        var writing = Task.Run(() => writer.RunAsync(stopWriter.Token), CancellationToken.None);
        List<HaTrial> trials = [];
        FalseFailoverWatch watch;
        try
        {
            var trial = new HaLossTrial(ha, chaos, ledger, clock, log);
            for (var number = 1; number <= options.Trials; number++)
            {
                foreach (var loss in Enum.GetValues<HaLoss>())
                {
                    trials.Add(await trial.RunAsync(loss, number, ct));
                }
            }

            watch = await FalseFailoverWatcher.RunAsync(ha, chaos, options, clock, log, ct);
        }
        finally
        {
            await stopWriter.CancelAsync();
            await writing.WaitAsync(WriterStopsWithin, CancellationToken.None);
            ledger.Close(clock.Elapsed);
        }

        var writes = ledger.Tally();
        var rows = RowAudit.Of(writes, await ChaosRun.RowsPresentAsync(chaos, ct));
        log($"{timing.Name}: {writes.Acknowledged.Count} rows acknowledged, {rows.MissingAcknowledged.Count} missing, {rows.NeverAttempted.Count} never attempted");
        return (new HaTimingResult(timing, trials, watch, writes, rows), setup);
    }

    private static async Task<HaSetup> SetupAsync(HaCluster ha, HaBenchmarkOptions options, CancellationToken ct)
    {
        var member = ha.Members[0];
        var (exitCode, patroni) = await member.ExecAsync(["patroni", "--version"], "postgres", ct);
        var postgres = await ha.Proxy.Endpoint.ScalarAsync<string>("SHOW server_version", ct) ?? "unknown";
        return new HaSetup(
            Environment.ProcessorCount, ha.Engine.EngineVersion, options.Image, postgres,
            exitCode == 0 ? patroni.Trim() : "unknown", options.SynchronousMode, options.Trials);
    }
}
