using BuildRunner;
using PostgresReplication.Benchmarks;

/// <summary>Measures the image against the host's own PostgreSQL and writes docs/benchmarks.md.</summary>
sealed partial class Build
{
    [Parameter("Repetitions of each benchmark figure but the cycle (at least 3 for a report)")]
    readonly int BenchmarkRepetitions = 3;

    [Parameter("Timed cycles per side in the benchmark, after one untimed warm-up cycle each")]
    readonly int BenchmarkCycleRepetitions = 7;

    [Parameter("Timed runs of ./build.sh Test, each beside a native cycle, after one untimed run of the command")]
    readonly int BenchmarkCommandRepetitions = 5;

    [Parameter("Timed failovers per side in the benchmark, after one untimed warm-up failover each")]
    readonly int BenchmarkFailoverRepetitions = 5;

    [Parameter("Minutes the whole benchmark may take before it stops and fails (a loaded machine needs more)")]
    readonly int BenchmarkBudgetMinutes = 20;

    [Parameter("The host's PostgreSQL server binaries the benchmark compares against")]
    readonly string NativeBinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>
    /// Before the base image is looked for: a benchmark of one major against another says nothing, so
    /// --pg-version defaults to the host's major here, and a different one is refused.
    /// </summary>
    Target BenchmarkMajor => _ => _
        .Description("Benchmark's first step: --pg-version defaults to the major of --native-bin-directory; another major is refused")
        .Before(BaseImage)
        .Executes(async ct =>
        {
            try
            {
                var native = await LikeForLike.NativeMajorAsync(NativeBinDirectory, ct);
                PgVersion = LikeForLike.ChooseMajor(IsGiven(nameof(PgVersion)) ? PgVersion : null, native, NativeBinDirectory);
                Log.Info($"benchmark: PostgreSQL {PgVersion} in the image and on the host ({NativeBinDirectory})");
            }
            catch (BenchmarkException e)
            {
                throw new BuildFailedException(e.Message, e);
            }
        });

    Target Benchmark => _ => _
        .Description("Cycle, lag under load, standby bootstrap, failover and layer size against native PostgreSQL of the same major (the host's by default)")
        .DependsOn(BenchmarkMajor, BuildImage)
        .Executes(async ct =>
        {
            var options = new BenchmarkOptions
            {
                PgMajor = PgVersion,
                Image = ImageTag,
                BaseImage = baseImageName,
                NativeBinDirectory = NativeBinDirectory,
                OutputDirectory = Path.Combine(RootDirectory, "docs"),
                Repetitions = BenchmarkRepetitions,
                CycleRepetitions = BenchmarkCycleRepetitions,
                FailoverRepetitions = BenchmarkFailoverRepetitions,
                CommandRepetitions = BenchmarkCommandRepetitions,
                UserCommand = UserTestCommand(),
                RepositoryRoot = RootDirectory,
                Budget = TimeSpan.FromMinutes(BenchmarkBudgetMinutes),
            };
            try
            {
                await BenchmarkSuite.RunAsync(options, Log.Info, ct);
            }
            catch (BenchmarkException e)
            {
                throw new BuildFailedException(e.Message, e);
            }
        });

    /// <summary>`./build.sh Test` for the image this run benchmarks, as a user would type it.</summary>
    string[] UserTestCommand() =>
    [
        Path.Combine(RootDirectory, "build.sh"), "Test", "--pg-version", $"{PgVersion}", "--image", Image,
        .. BaseImageParameter is { } baseImage ? ["--base-image", baseImage] : Array.Empty<string>(),
        .. NoPull ? ["--no-pull"] : Array.Empty<string>(),
    ];
}
