namespace PostgresReplication.Benchmarks;

/// <summary>
/// The entry point: measures the image against the host's own PostgreSQL (cycle, lag under load,
/// standby bootstrap, failover, layer size) in one run, writes benchmarks.md and replication-lag.png, and
/// returns the figures. Throws <see cref="BenchmarkException"/> when any figure could not be taken.
/// </summary>
public static class BenchmarkSuite
{
    public const string ReportFileName = "benchmarks.md";
    public const string PlotFileName = "replication-lag.png";

    public static Task<BenchmarkResults> RunAsync(BenchmarkOptions options, Action<string> log, CancellationToken ct) =>
        BenchmarkRun.RunAsync("benchmark", options, log, MeasureAsync, ct);

    private static async Task<BenchmarkResults> MeasureAsync(BenchmarkRun run)
    {
        var (context, options, log, ct) = (run.Context, run.Context.Options, run.Context.Log, run.Token);
        run.Phase = "the image size";
        var image = await new ImageSizeBenchmark(context).RunAsync(ct);
        var machine = await MachineInfo.CaptureAsync(context, ct);
        log($"machine: {machine.Cores} cores, {machine.MemoryGiB} GiB, Docker Engine {machine.EngineVersion}, " +
            $"load average {machine.LoadAverageAtStart}; container PostgreSQL {machine.ContainerPostgres}, native {machine.NativePostgres}");

        run.Phase = "the cycle";
        var cycle = await new CycleBenchmark(context).RunAsync(ct);
        run.Phase = "the user's command";
        var command = await new CommandBenchmark(context).RunAsync(ct);
        run.Phase = "the failover";
        var failover = await new FailoverBenchmark(context).RunAsync(ct);
        run.Phase = "the lag under load";
        var lag = await new LagBenchmark(context).RunAsync(ct);
        run.Phase = "the standby bootstrap";
        var bootstrap = await new BootstrapBenchmark(context).RunAsync(ct);

        run.Phase = "writing the report";
        var results = new BenchmarkResults(
            run.StartedAt, run.Clock.Elapsed, machine, await MachineInfo.LoadAverageAsync(ct), image, cycle, lag, bootstrap, failover,
            [.. Thresholds.Judge(cycle, lag, bootstrap, failover, image), .. Thresholds.JudgeCommand(command)],
            Path.Combine(options.OutputDirectory, ReportFileName),
            Path.Combine(options.OutputDirectory, PlotFileName),
            command);
        Directory.CreateDirectory(options.OutputDirectory);
        LagPlot.Write(results.PlotPath, lag);
        await File.WriteAllTextAsync(results.ReportPath, MarkdownReport.Render(results), ct);
        foreach (var verdict in results.Verdicts)
        {
            log($"{(verdict.Met ? "met    " : "NOT met")} {verdict.Figure}: {verdict.Measured} (threshold {verdict.Threshold})");
        }

        log($"wrote {results.ReportPath} and {results.PlotPath} in {run.Clock.Elapsed.TotalSeconds:0} s");
        return results;
    }
}

/// <summary>A measurement could not be made; the message says which and why. No figure is reported as zero instead.</summary>
public sealed class BenchmarkException : Exception
{
    public BenchmarkException(string message)
        : base(message)
    {
    }

    public BenchmarkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>What every benchmark of a run shares: options, the engine, the host's binaries, the log.</summary>
internal sealed record BenchmarkContext(BenchmarkOptions Options, DockerEngine Engine, NativeBinaries Native, Action<string> Log)
{
    /// <summary>A new, empty pair of the given side; nothing runs until its primary is started.</summary>
    public async Task<IReplicationPair> NewPairAsync(string side, CancellationToken ct) => side switch
    {
        Sides.Container => new ContainerPair(Engine, Options.ImageName),
        Sides.Native => await NativePair.CreateAsync(Native, Options.WorkDirectory, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "container or native"),
    };
}

/// <summary>Everything one run measured, where it was written, and the verdict on each threshold.</summary>
public sealed record BenchmarkResults(
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    MachineInfo Machine,
    string LoadAverageAtEnd,
    ImageSizeResult Image,
    CycleResult Cycle,
    LagResult Lag,
    BootstrapResult Bootstrap,
    FailoverResult Failover,
    IReadOnlyList<ThresholdVerdict> Verdicts,
    string ReportPath,
    string PlotPath,
    CommandResult? Command = null)
{
    public bool AllThresholdsMet => Verdicts.All(v => v.Met);
}
