using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Figure 6: the command a user types, `./build.sh Test`, run as a new process each time with the
/// image already built, alternating with the native pair's cycle and with one container cycle in
/// this (warm) process. A new process pays for starting .NET, for the first use of the Docker client
/// and Npgsql, and for the targets around the cycle (BaseImage, BuildImage, Stop), none of which the
/// warm cycle sees; timing the warm one in the same rounds keeps the disk's drift out of the comparison.
/// </summary>
internal sealed partial class CommandBenchmark(BenchmarkContext context)
{
    public async Task<CommandResult?> RunAsync(CancellationToken ct)
    {
        if (context.Options.UserCommand is not { Count: > 0 } command)
        {
            return null;
        }

        var (program, arguments) = (command[0], command.Skip(1).ToArray());

        var repetitions = context.Options.CommandRepetitions;
        // The first run after a change of build/ or src/ also builds the build program.
        var warmUp = await TimeCommandAsync(program, arguments, 0, ct);
        context.Log($"command warm-up: {Seconds(warmUp.Wall)} (not counted)");
        var runs = new List<CommandRun>();
        var warmPrimary = new List<TimeSpan>();
        for (var repetition = 1; repetition <= repetitions; repetition++)
        {
            foreach (var side in Sides.InOrder(repetition - 1))
            {
                var run = side == Sides.Container
                    ? await TimeCommandAsync(program, arguments, repetition, ct)
                    : await TimeNativeCycleAsync(repetition, ct);
                context.Log(
                    $"command {repetition}/{repetitions} {side,-9}: wall {Seconds(run.Wall)}, " +
                    $"ready primary {Seconds(run.PrimaryReady)}, cycle {Seconds(run.Cycle)}");
                runs.Add(run);
            }

            warmPrimary.Add(await TimeWarmPrimaryAsync(repetition, ct));
            context.Log($"command {repetition}/{repetitions} warm     : ready primary {Seconds(warmPrimary[^1])} (container cycle in this process)");
        }

        return new CommandResult(string.Join(' ', context.Options.UserCommand), runs, warmPrimary);
    }

    /// <summary>The container's ready primary in this process, which figure 1 has warmed up.</summary>
    private async Task<TimeSpan> TimeWarmPrimaryAsync(int repetition, CancellationToken ct)
    {
        await using var pair = await context.NewPairAsync(Sides.Container, ct);
        return (await CycleBenchmark.TimeOneAsync(pair, repetition, ct)).StartPrimary;
    }

    private async Task<CommandRun> TimeCommandAsync(string program, IReadOnlyList<string> arguments, int repetition, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var output = await NativeCommand.RunAsync(program, arguments, ct, workingDirectory: context.Options.RepositoryRoot);
        var wall = clock.Elapsed;
        return new CommandRun(
            Sides.Container, repetition, wall, CommandOutput.PrimaryReady(output), CommandOutput.Cycle(output));
    }

    /// <summary>
    /// The native pair's cycle as figure 1 times it, its own processes started for the run; its wall
    /// time also counts removing the pair, as the command's counts its Stop.
    /// </summary>
    private async Task<CommandRun> TimeNativeCycleAsync(int repetition, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        CycleRun cycle;
        await using (var pair = await context.NewPairAsync(Sides.Native, ct))
        {
            cycle = await CycleBenchmark.TimeOneAsync(pair, repetition, ct);
        }

        return new CommandRun(Sides.Native, repetition, clock.Elapsed, cycle.StartPrimary, cycle.Total);
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.00} s";
}

/// <summary>
/// One run of figure 6. Container: the command's wall time, and the ready primary and cycle it
/// reported itself. Native: the same three times for the native pair, its wall time including its removal.
/// </summary>
public sealed record CommandRun(string Side, int Repetition, TimeSpan Wall, TimeSpan PrimaryReady, TimeSpan Cycle);

/// <summary>
/// Figure 6's runs, and the ready primary of the container cycles timed in the benchmark's own warm
/// process in the same rounds (<paramref name="WarmPrimaryReady"/>), which a new process is judged against.
/// </summary>
public sealed record CommandResult(string Command, IReadOnlyList<CommandRun> Runs, IReadOnlyList<TimeSpan> WarmPrimaryReady)
{
    public Summary WarmPrimaryReadySummary => Statistics.Summarize(WarmPrimaryReady.Select(t => t.TotalSeconds));

    /// <summary>The command's wall time against the native cycle: what the user waits for.</summary>
    public Comparison Wall => Of(r => r.Wall);

    /// <summary>The cycle inside a new process against the native cycle.</summary>
    public Comparison Cycle => Of(r => r.Cycle);

    public Comparison PrimaryReady => Of(r => r.PrimaryReady);

    private Comparison Of(Func<CommandRun, TimeSpan> figure) => Comparison.Of(Runs, r => r.Side, r => figure(r).TotalSeconds);
}

/// <summary>
/// The two lines `./build.sh Test` prints about its own timing, written and read here so that the
/// pipeline and the benchmark cannot drift apart.
/// </summary>
public static partial class CommandOutput
{
    public static string PrimaryReadyLine(string node, int hostPort, TimeSpan sinceStart) =>
        string.Create(CultureInfo.InvariantCulture, $"{node} accepting connections on 127.0.0.1:{hostPort} after {sinceStart.TotalSeconds:0.00} s");

    public static string CycleLine(TimeSpan sinceStart) =>
        string.Create(CultureInfo.InvariantCulture, $"primary start to verified standbys: {sinceStart.TotalSeconds:0.00} s");

    public static TimeSpan PrimaryReady(string output) => Find(PrimaryReadyPattern(), output, "a primary accepting connections");

    public static TimeSpan Cycle(string output) => Find(CyclePattern(), output, "primary start to verified standbys");

    private static TimeSpan Find(Regex pattern, string output, string what) =>
        pattern.Match(output) is { Success: true } match
            ? TimeSpan.FromSeconds(double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture))
            : throw new BenchmarkException($"The command did not report {what}: {BuildRunner.HostProcess.LastLines(output, 8)}");

    [GeneratedRegex(@"^\S+ accepting connections on 127\.0\.0\.1:\d+ after (?<seconds>\d+\.\d+) s$", RegexOptions.Multiline)]
    private static partial Regex PrimaryReadyPattern();

    [GeneratedRegex(@"^primary start to verified standbys: (?<seconds>\d+\.\d+) s$", RegexOptions.Multiline)]
    private static partial Regex CyclePattern();
}
