using BuildRunner.Internal;
using BuildRunner.Tests.Support;
using static BuildRunner.Tests.Support.HandMadeTargets;

namespace BuildRunner.Tests;

public sealed class SkipTests
{
    private static IReadOnlyList<TargetDefinition> Pipeline()
    {
        Target buildImage = _ => _;
        Target startPrimary = _ => _.DependsOn(buildImage);
        Target test = _ => _.DependsOn(startPrimary);
        return Targets(("BuildImage", buildImage), ("StartPrimary", startPrimary), ("Test", test));
    }

    [Fact]
    public void Skip_with_names_keeps_those_targets_in_the_plan_but_marks_them_skipped()
    {
        // Given
        var targets = Pipeline();

        // When
        var plan = TargetPlanner.Plan(targets, ["Test"], skip: ["BuildImage"]);

        // Then
        Assert.Equal(["BuildImage", "StartPrimary", "Test"], Names(plan));
        Assert.Equal(["BuildImage"], Skipped(plan));
    }

    [Fact]
    public void Bare_skip_skips_every_target_that_was_not_requested()
    {
        // Given
        var targets = Pipeline();

        // When
        var plan = TargetPlanner.Plan(targets, ["Test"], skip: []);

        // Then
        Assert.Equal(["BuildImage", "StartPrimary"], Skipped(plan));
    }

    [Fact]
    public void Skipping_an_unknown_target_is_an_error()
    {
        // Given
        var targets = Pipeline();

        // When
        var error = Assert.Throws<BuildFailedException>(() => TargetPlanner.Plan(targets, ["Test"], skip: ["Bogus"]));

        // Then
        Assert.Contains("'Bogus'", error.Message);
    }

    [Fact]
    public async Task Skipped_targets_do_not_run_and_show_as_skipped_in_the_summary()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new PipelineBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Test", "--skip", "BuildImage");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Equal(["StartPrimary", "Test"], build.Ran);
        Assert.Matches(@"\| BuildImage\s+\| skipped\s+\|", harness.Output);
    }

    [Fact]
    public async Task Bare_skip_on_the_command_line_runs_only_the_requested_target()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new PipelineBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Test", "--skip");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Equal(["Test"], build.Ran);
    }

    private sealed class PipelineBuild : RecordingBuild
    {
        Target BuildImage => _ => _.Executes(Record(nameof(BuildImage)));

        Target StartPrimary => _ => _.DependsOn(BuildImage).Executes(Record(nameof(StartPrimary)));

        Target Test => _ => _.DependsOn(StartPrimary).Executes(Record(nameof(Test)));
    }
}
