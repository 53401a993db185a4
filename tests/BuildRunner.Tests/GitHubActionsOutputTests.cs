using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class GitHubActionsOutputTests
{
    [Fact]
    public async Task On_GitHub_Actions_each_target_is_a_collapsible_group_and_errors_are_annotations()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["GITHUB_ACTIONS"] = "true";

        // When
        await harness.RunAsync(new GroupedBuild(), "Test");

        // Then
        var lines = harness.Output.Split(Environment.NewLine);
        var compile = Array.IndexOf(lines, "::group::Compile");
        Assert.True(compile >= 0, harness.Output);
        Assert.Equal("compiling", lines[compile + 1]);
        Assert.Equal("::endgroup::", lines[compile + 2]);
        Assert.Equal("::group::Test", lines[compile + 3]);
        Assert.Contains("::error::Test failed: two%0Alines", lines);
    }

    [Fact]
    public async Task Elsewhere_each_target_gets_a_plain_header_line()
    {
        // Given
        using var harness = new BuildHarness();

        // When
        await harness.RunAsync(new GroupedBuild(), "Compile");

        // Then
        Assert.DoesNotContain("::group::", harness.Output);
        Assert.Contains("=== Compile ===" + Environment.NewLine + "compiling", harness.Output);
    }

    private sealed class GroupedBuild : RecordingBuild
    {
        Target Compile => _ => _.Executes(() => Log.Info("compiling"));

        Target Test => _ => _.DependsOn(Compile).Executes(() => throw new BuildFailedException("two\nlines"));
    }
}
