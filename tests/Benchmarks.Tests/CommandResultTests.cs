using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class CommandResultTests
{
    private static CommandRun Run(string side, double wall, double primaryReady, double cycle) =>
        new(side, 1, TimeSpan.FromSeconds(wall), TimeSpan.FromSeconds(primaryReady), TimeSpan.FromSeconds(cycle));

    /// <summary>Native cycle 2 s; the command as given; the warm in-process primary ready after 1 s.</summary>
    private static IReadOnlyList<ThresholdVerdict> Judge(double wall, double primaryReady, double cycle)
    {
        var command = new CommandResult(
            "./build.sh Test", [Run(Sides.Container, wall, primaryReady, cycle), Run(Sides.Native, 2.2, 0.9, 2.0)], [TimeSpan.FromSeconds(1)]);
        return Thresholds.JudgeCommand(command);
    }

    [Fact]
    public void The_lines_the_pipeline_prints_are_the_lines_the_benchmark_reads()
    {
        // Given
        var output = string.Join('\n',
            "=== StartPrimary ===",
            CommandOutput.PrimaryReadyLine("primary", 32768, TimeSpan.FromSeconds(1.234)),
            "standby-1 streaming from primary (lag 0 B) after 2.00 s",
            CommandOutput.CycleLine(TimeSpan.FromSeconds(2.5)),
            "Build succeeded in 4.1 s");

        // When, Then
        Assert.Equal(1.23, CommandOutput.PrimaryReady(output).TotalSeconds, 3);
        Assert.Equal(2.5, CommandOutput.Cycle(output).TotalSeconds, 3);
    }

    [Fact]
    public void A_command_that_reported_no_cycle_fails_the_figure_with_its_last_lines()
    {
        var e = Assert.Throws<BenchmarkException>(() => CommandOutput.Cycle("=== Stop ===\nBuild failed"));
        Assert.Contains("did not report primary start to verified standbys", e.Message, StringComparison.Ordinal);
        Assert.Contains("Build failed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4.0, 1.4, 2.6, true, true, true)]
    [InlineData(4.2, 1.4, 2.6, false, true, true)]
    [InlineData(4.0, 1.4, 2.7, true, false, true)]
    [InlineData(4.0, 1.6, 2.6, true, true, false)]
    public void The_command_is_judged_on_its_wall_time_its_cycle_and_its_extra_over_a_warm_process(
        double wall, double primaryReady, double cycle, bool wallMet, bool cycleMet, bool primaryMet)
    {
        // When
        var verdicts = Judge(wall, primaryReady, cycle);

        // Then
        Assert.Equal([wallMet, cycleMet, primaryMet], verdicts.Select(v => v.Met));
    }

    [Fact]
    public void A_run_without_the_command_has_no_command_targets_and_no_section()
    {
        Assert.Empty(Thresholds.JudgeCommand(null));
        var report = MarkdownReport.Render(HandMadeResults.Results(
            HandMadeResults.Cycle(2.0, 2.0), HandMadeResults.Lag(1000, 1000), HandMadeResults.Bootstrap(100, 100), HandMadeResults.Image(0)));
        Assert.DoesNotContain("## 6.", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_shows_the_command_next_to_the_native_run_and_the_warm_cycle()
    {
        // Given
        var command = new CommandResult(
            "./build.sh Test --pg-version 15", [Run(Sides.Container, 5.5, 1.8, 3.1), Run(Sides.Native, 2.4, 0.9, 2.2)], [TimeSpan.FromSeconds(1.4)]);
        var cycle = HandMadeResults.Cycle(2.6, 2.2);
        var results = HandMadeResults.Results(cycle, HandMadeResults.Lag(1000, 1000), HandMadeResults.Bootstrap(100, 100), HandMadeResults.Image(0)) with { Command = command };

        // When
        var report = MarkdownReport.Render(results);

        // Then
        Assert.Contains("## 6. The user's command: `./build.sh Test --pg-version 15`, a new process each time", report, StringComparison.Ordinal);
        Assert.Contains("| **wall time of the command / of the native run (s)** | 5.50 | 5.50 | 2.40 | 2.40 | 2.29x |", report, StringComparison.Ordinal);
        Assert.Contains("Wall time per run (s): container 5.50; native 2.40.", report, StringComparison.Ordinal);
        Assert.Contains("cycle 2.60 s", report, StringComparison.Ordinal);
        Assert.Contains("same rounds: median 1.40 s", report, StringComparison.Ordinal);
    }
}
