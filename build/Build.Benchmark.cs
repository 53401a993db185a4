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
            try
            {
                await BenchmarkSuite.RunAsync(Options(), Log.Info, ct);
            }
            catch (BenchmarkException e)
            {
                throw new BuildFailedException(e.Message, e);
            }
        });

    [Parameter("ScaleBenchmark: pgbench scales of the bootstrap primaries (68 is about 1 GB)")]
    readonly string[] ScaleBootstrapScales = ["68", "136", "340", "680"];

    [Parameter("ScaleBenchmark: MB of WAL the primary writes while the standby is stopped")]
    readonly int ScaleCatchUpWalMegabytes = 2048;

    [Parameter("ScaleBenchmark: seconds of each unthrottled pgbench run")]
    readonly int ScaleSaturationSeconds = 60;

    [Parameter("ScaleBenchmark: pgbench clients of the unthrottled runs")]
    readonly int ScaleSaturationClients = 8;

    [Parameter("ScaleBenchmark: numbers of standbys of the fan-out runs")]
    readonly string[] ScaleFanOutStandbys = ["1", "2", "4", "8"];

    [Parameter("ScaleBenchmark: seconds of each fixed-rate fan-out run")]
    readonly int ScaleFanOutSeconds = 30;

    [Parameter("ScaleBenchmark: rounds of every figure per side, alternating")]
    readonly int ScaleRounds = 3;

    Target ScaleBenchmark => _ => _
        .Description("Bootstrap against size, catch-up, saturating writes and fan-out against native PostgreSQL of the same major; writes docs/benchmarks-scale.md (36 min at the defaults on an idle 2-core machine)")
        .DependsOn(BenchmarkMajor, BuildImage)
        .Executes(async ct =>
        {
            var scale = new ScaleOptions
            {
                BootstrapScales = Integers(ScaleBootstrapScales, "--scale-bootstrap-scales"),
                CatchUpWalMegabytes = ScaleCatchUpWalMegabytes,
                SaturationDuration = TimeSpan.FromSeconds(ScaleSaturationSeconds),
                SaturationClients = ScaleSaturationClients,
                FanOutStandbys = Integers(ScaleFanOutStandbys, "--scale-fan-out-standbys"),
                FanOutDuration = TimeSpan.FromSeconds(ScaleFanOutSeconds),
                Rounds = ScaleRounds,
            };
            try
            {
                // The full scale runs took 36 and 43 min; without a budget given it gets 150 min, room for a slower machine.
                var budget = TimeSpan.FromMinutes(IsGiven(nameof(BenchmarkBudgetMinutes)) ? BenchmarkBudgetMinutes : 150);
                await ScaleSuite.RunAsync(Options() with { Budget = budget }, scale, Log.Info, ct);
            }
            catch (Exception e) when (e is BenchmarkException or ArgumentException)
            {
                throw new BuildFailedException(e.Message, e);
            }
        });

    /// <summary>A list parameter of whole numbers (the runner's lists are of text).</summary>
    static int[] Integers(string[] values, string parameter) =>
        [.. values.Select(v => int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new BuildFailedException($"{parameter} takes whole numbers, not '{v}' (e.g. {parameter} 68 136)."))];

    /// <summary>What both benchmark targets share: the image, the host's binaries, where reports go, how often.</summary>
    BenchmarkOptions Options() => new()
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

    /// <summary>`./build.sh Test` for the image this run benchmarks, as a user would type it.</summary>
    string[] UserTestCommand() =>
    [
        Path.Combine(RootDirectory, "build.sh"), "Test", "--pg-version", $"{PgVersion}", "--image", Image,
        .. BaseImageParameter is { } baseImage ? ["--base-image", baseImage] : Array.Empty<string>(),
        .. NoPull ? ["--no-pull"] : Array.Empty<string>(),
    ];
}
