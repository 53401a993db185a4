namespace PostgresReplication.Benchmarks;

/// <summary>
/// The scale run (issue 21, items 1-4): standby bootstrap against the primary's size, catch-up after
/// an outage, saturating writes, fan-out to several standbys; container against native PostgreSQL of
/// the same major, alternating, in one run. Writes benchmarks-scale.md and bootstrap-scale.png beside
/// the default report, which it leaves alone.
/// <para>
/// Time at the defaults on a 2-core machine: 35.5 min in the first full run (2026-12-04), 43.2 min in the
/// second (2026-12-05, with the 8 untimed fan-out runs), most of it loading and cloning the 1, 2, 5 and
/// 10 GB primaries, the nine 60 s saturating runs (three of them at the container's bridge address) and the
/// 32 fan-out runs of 30 s. It needs about 45 GB free in the temporary folder and the engine's volumes
/// (10 GB primary and clone, per side).
/// </para>
/// </summary>
public static class ScaleSuite
{
    public const string ReportFileName = "benchmarks-scale.md";
    public const string PlotFileName = "bootstrap-scale.png";

    public static Task<ScaleResults> RunAsync(BenchmarkOptions options, ScaleOptions scale, Action<string> log, CancellationToken ct)
    {
        scale.Validate();
        return BenchmarkRun.RunAsync("scale benchmark", options, log, run => MeasureAsync(run, scale), ct);
    }

    private static async Task<ScaleResults> MeasureAsync(BenchmarkRun run, ScaleOptions scale)
    {
        var (context, options, log, ct) = (run.Context, run.Context.Options, run.Context.Log, run.Token);
        var machine = await MachineInfo.CaptureAsync(context, ct);
        log($"scale: {machine.Cores} cores, load average {machine.LoadAverageAtStart}; container PostgreSQL {machine.ContainerPostgres}, native {machine.NativePostgres}");

        var bootstrap = new List<BootstrapResult>();
        foreach (var size in scale.BootstrapScales.Order())
        {
            run.Phase = $"the bootstrap at pgbench scale {size}";
            bootstrap.Add(await new BootstrapBenchmark(context).RunAsync(size, scale.Rounds, ct));
        }

        run.Phase = "the catch-up";
        var catchUp = await new CatchUpBenchmark(context, scale).RunAsync(ct);
        run.Phase = "the saturating writes";
        var saturation = await new SaturationBenchmark(context, scale).RunAsync(ct);
        run.Phase = "the fan-out";
        var fanOut = await new FanOutBenchmark(context, scale).RunAsync(ct);

        run.Phase = "writing the report";
        var results = new ScaleResults(
            run.StartedAt, run.Clock.Elapsed, machine, await MachineInfo.LoadAverageAsync(ct), bootstrap, catchUp, saturation, fanOut);
        Directory.CreateDirectory(options.OutputDirectory);
        ScalePlot.Write(Path.Combine(options.OutputDirectory, PlotFileName), results.Bootstrap);
        await ReportParts.WriteAsync(options.OutputDirectory, ReportFileName, ScaleReport.Render(results), ScaleThresholds.Judge(results), run.Clock.Elapsed, log, ct);
        return results;
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
