using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The scale run (issue 21, items 1-4): standby bootstrap against the primary's size, catch-up after
/// an outage, saturating writes, fan-out to several standbys; container against native PostgreSQL of
/// the same major, alternating, in one run. Writes benchmarks-scale.md and bootstrap-scale.png beside
/// the default report, which it leaves alone.
/// <para>
/// Time at the defaults, from the first look at 4 GB (about 260 MB/s) on this 2-core machine: loading
/// 1+2+5+10 GB on both sides at once about 25 min, the 24 clones about 12 min; catch-up 3 rounds x 2
/// sides of 2 GB of WAL written and replayed about 10 min; saturation 6 x 60 s plus setup about 8 min;
/// fan-out 4 counts x 6 runs x 30 s plus 15 standbys per side about 16 min: some 75 min in all. It needs
/// about 45 GB free in the temporary folder and the engine's volumes (10 GB primary and clone, per side).
/// </para>
/// </summary>
public static class ScaleSuite
{
    public const string ReportFileName = "benchmarks-scale.md";
    public const string PlotFileName = "bootstrap-scale.png";

    public static async Task<ScaleResults> RunAsync(BenchmarkOptions options, ScaleOptions scale, Action<string> log, CancellationToken ct)
    {
        options.Validate();
        scale.Validate();
        LikeForLike.ChooseMajor(options.PgMajor, await LikeForLike.NativeMajorAsync(options.NativeBinDirectory, ct), options.NativeBinDirectory);
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(options.Budget);
        var phase = "connecting to the Docker engine";
        try
        {
            using var engine = await DockerEngine.ConnectAsync(budget.Token);
            var context = new BenchmarkContext(options, engine, new NativeBinaries(options.NativeBinDirectory), log);
            var machine = await MachineInfo.CaptureAsync(context, budget.Token);
            log($"scale: {machine.Cores} cores, load average {machine.LoadAverageAtStart}; container PostgreSQL {machine.ContainerPostgres}, native {machine.NativePostgres}");

            var bootstrap = new List<BootstrapResult>();
            foreach (var size in scale.BootstrapScales.Order())
            {
                phase = $"the bootstrap at pgbench scale {size}";
                bootstrap.Add(await new BootstrapBenchmark(context).RunAsync(size, scale.Rounds, budget.Token));
            }

            phase = "the catch-up";
            var catchUp = await new CatchUpBenchmark(context, scale).RunAsync(budget.Token);
            phase = "the saturating writes";
            var saturation = await new SaturationBenchmark(context, scale).RunAsync(budget.Token);
            phase = "the fan-out";
            var fanOut = await new FanOutBenchmark(context, scale).RunAsync(budget.Token);

            phase = "writing the report";
            var results = new ScaleResults(
                startedAt, clock.Elapsed, machine, await MachineInfo.LoadAverageAsync(budget.Token), bootstrap, catchUp, saturation, fanOut);
            Directory.CreateDirectory(options.OutputDirectory);
            ScalePlot.Write(Path.Combine(options.OutputDirectory, PlotFileName), results.Bootstrap);
            var report = Path.Combine(options.OutputDirectory, ReportFileName);
            await File.WriteAllTextAsync(report, ScaleReport.Render(results), budget.Token);
            foreach (var verdict in ScaleThresholds.Judge(results))
            {
                log($"{(verdict.Met ? "met    " : "NOT met")} {verdict.Figure}: {verdict.Measured} (bar {verdict.Threshold})");
            }

            log($"wrote {report} in {clock.Elapsed.TotalMinutes:0.0} min");
            return results;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new BenchmarkException(
                $"The scale benchmark did not finish within its budget of {options.Budget.TotalMinutes:0.#} min; it was stopped during {phase}.");
        }
        catch (Exception e) when (e is not (BenchmarkException or OperationCanceledException))
        {
            throw new BenchmarkException($"Scale benchmark failed during {phase}: {e.Message}", e);
        }
    }
}

/// <summary>Everything one scale run measured.</summary>
public sealed record ScaleResults(
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    MachineInfo Machine,
    string LoadAverageAtEnd,
    IReadOnlyList<BootstrapResult> Bootstrap,
    CatchUpResult CatchUp,
    SaturationResult Saturation,
    FanOutResult FanOut);
