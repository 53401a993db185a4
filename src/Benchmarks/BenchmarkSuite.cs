using System.Diagnostics;

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

    public static async Task<BenchmarkResults> RunAsync(BenchmarkOptions options, Action<string> log, CancellationToken ct)
    {
        options.Validate();
        // Also here, not only in the build target: a caller of the library must not compare two majors either.
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

            phase = "the image size";
            var image = await new ImageSizeBenchmark(context).RunAsync(budget.Token);
            var machine = await MachineInfo.CaptureAsync(context, budget.Token);
            log($"machine: {machine.Cores} cores, {machine.MemoryGiB} GiB, Docker Engine {machine.EngineVersion}, " +
                $"load average {machine.LoadAverageAtStart}; container PostgreSQL {machine.ContainerPostgres}, native {machine.NativePostgres}");

            phase = "the cycle";
            var cycle = await new CycleBenchmark(context).RunAsync(budget.Token);
            phase = "the user's command";
            var command = await new CommandBenchmark(context).RunAsync(budget.Token);
            phase = "the failover";
            var failover = await new FailoverBenchmark(context).RunAsync(budget.Token);
            phase = "the lag under load";
            var lag = await new LagBenchmark(context).RunAsync(budget.Token);
            phase = "the standby bootstrap";
            var bootstrap = await new BootstrapBenchmark(context).RunAsync(budget.Token);

            phase = "writing the report";
            var results = new BenchmarkResults(
                startedAt, clock.Elapsed, machine, await MachineInfo.LoadAverageAsync(budget.Token), image, cycle, lag, bootstrap, failover,
                [.. Thresholds.Judge(cycle, lag, bootstrap, failover, image), .. Thresholds.JudgeCommand(command)],
                Path.Combine(options.OutputDirectory, ReportFileName),
                Path.Combine(options.OutputDirectory, PlotFileName),
                command);
            Directory.CreateDirectory(options.OutputDirectory);
            LagPlot.Write(results.PlotPath, lag);
            await File.WriteAllTextAsync(results.ReportPath, MarkdownReport.Render(results), budget.Token);
            foreach (var verdict in results.Verdicts)
            {
                log($"{(verdict.Met ? "met    " : "NOT met")} {verdict.Figure}: {verdict.Measured} (threshold {verdict.Threshold})");
            }

            log($"wrote {results.ReportPath} and {results.PlotPath} in {clock.Elapsed.TotalSeconds:0} s");
            return results;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new BenchmarkException(
                $"The benchmark did not finish within its budget of {options.Budget.TotalMinutes:0.#} min; it was stopped during {phase}.");
        }
        catch (Exception e) when (e is not (BenchmarkException or OperationCanceledException))
        {
            throw new BenchmarkException($"Benchmark failed during {phase}: {e.Message}", e);
        }
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
