using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// What every benchmark suite does around its figures: the options checked, one major on both
/// sides, the run's time budget, the engine and the host's binaries, and, when anything fails, a
/// <see cref="BenchmarkException"/> naming the phase it failed or ran out of time in.
/// </summary>
internal sealed class BenchmarkRun
{
    private BenchmarkRun(BenchmarkContext context, CancellationToken token)
    {
        Context = context;
        Token = token;
    }

    public BenchmarkContext Context { get; }

    /// <summary>Cancelled by the caller or when the budget runs out: what every figure waits with.</summary>
    public CancellationToken Token { get; }

    /// <summary>What the run is doing now, for the message when it fails.</summary>
    public string Phase { get; set; } = "starting";

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <param name="name">The suite as messages name it: "benchmark", "scale benchmark".</param>
    public static async Task<T> RunAsync<T>(string name, BenchmarkOptions options, Action<string> log, Func<BenchmarkRun, Task<T>> body, CancellationToken ct)
    {
        options.Validate();
        // Also here, not only in the build target: a caller of the library must not compare two majors either.
        LikeForLike.ChooseMajor(options.PgMajor, await LikeForLike.NativeMajorAsync(options.NativeBinDirectory, ct), options.NativeBinDirectory);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(options.Budget);
        BenchmarkRun? run = null;
        string Phase() => run?.Phase ?? "connecting to the Docker engine";
        try
        {
            using var engine = await DockerEngine.ConnectAsync(budget.Token);
            run = new BenchmarkRun(new BenchmarkContext(options, engine, new NativeBinaries(options.NativeBinDirectory), log), budget.Token);
            return await body(run);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new BenchmarkException(
                $"The {name} did not finish within its budget of {options.Budget.TotalMinutes:0.#} min; it was stopped during {Phase()}.");
        }
        catch (Exception e) when (e is not (BenchmarkException or OperationCanceledException))
        {
            throw new BenchmarkException($"{char.ToUpperInvariant(name[0])}{name[1..]} failed during {Phase()}: {e.Message}", e);
        }
    }
}
