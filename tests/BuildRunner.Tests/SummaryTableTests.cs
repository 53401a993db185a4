using BuildRunner.Internal;
using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class SummaryTableTests
{
    [Fact]
    public async Task A_failed_build_exits_non_zero_and_reports_every_status()
    {
        // Given
        using var harness = new BuildHarness();

        // When
        var exitCode = await harness.RunAsync(new FailingBuild(), "Publish", "Stop", "--skip", "Lint");

        // Then
        Assert.NotEqual(0, exitCode);
        var output = harness.Output;
        Assert.Matches(@"\| Lint\s+\| skipped\s+\|\s+\|", output);
        Assert.Matches(@"\| Compile\s+\| succeeded \| \d+:\d\d\.\d{3} \|", output);
        Assert.Matches(@"\| Test\s+\| failed\s+\| \d+:\d\d\.\d{3} \|", output);
        Assert.Matches(@"\| Publish\s+\| not run\s+\|\s+\|", output);
        Assert.Matches(@"\| Stop\s+\| succeeded \|", output);
        Assert.Matches(@"\| Total\s+\|\s+\| \d+:\d\d\.\d{3} \|", output);
        Assert.EndsWith("Build failed (target Test)" + Environment.NewLine, output);
    }

    [Fact]
    public async Task A_successful_build_exits_zero_and_says_how_long_it_took()
    {
        // Given
        using var harness = new BuildHarness();

        // When
        var exitCode = await harness.RunAsync(new FailingBuild(), "Compile");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Matches(@"Build succeeded in \d+\.\d s", harness.Output);
    }

    [Theory]
    [InlineData(1234, "0:01.234")]
    [InlineData(61_005, "1:01.005")]
    [InlineData(0, "0:00.000")]
    public void Durations_read_as_minutes_seconds_and_milliseconds(int milliseconds, string expected)
    {
        // Given
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        // When
        var text = SummaryTable.FormatDuration(duration);

        // Then
        Assert.Equal(expected, text);
    }

    [Fact]
    public void The_plain_table_is_ascii_with_aligned_columns()
    {
        // Given
        string[][] rows = [["BuildImage", "succeeded", "0:01.234"]];

        // When
        var lines = SummaryTable.PlainTable(rows, ["Total", "", "0:01.300"]);

        // Then
        Assert.Equal(
        [
            "+------------+-----------+----------+",
            "| Target     | Status    | Duration |",
            "+------------+-----------+----------+",
            "| BuildImage | succeeded | 0:01.234 |",
            "+------------+-----------+----------+",
            "| Total      |           | 0:01.300 |",
            "+------------+-----------+----------+",
        ], lines);
    }

    private sealed class FailingBuild : RecordingBuild
    {
        Target Lint => _ => _.Executes(Record(nameof(Lint)));

        Target Compile => _ => _.Executes(Record(nameof(Compile)));

        Target Test => _ => _.DependsOn(Lint, Compile).Executes(() => throw new BuildFailedException("replication lag"));

        Target Publish => _ => _.DependsOn(Test).Executes(Record(nameof(Publish)));

        Target Stop => _ => _.AssuredAfterFailure().After(Publish).Executes(Record(nameof(Stop)));
    }
}
