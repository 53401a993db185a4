using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class RequirementTests
{
    [Fact]
    public async Task A_missing_requirement_fails_before_any_target_runs_and_names_flag_and_environment()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new PublishBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Publish");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Publish needs --registry-password (or environment variable REGISTRY_PASSWORD, DOCKERHUB_TOKEN)", harness.Output);
        Assert.Contains("Publish needs --repository (or environment variable REPOSITORY)", harness.Output);
    }

    [Fact]
    public async Task Requirements_are_met_by_any_of_the_parameters_sources()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["DOCKERHUB_TOKEN"] = "token-for-requirement-test";
        var build = new PublishBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Publish", "--repository", "example/postgres");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Equal(["Test", "Publish"], build.Ran);
    }

    [Fact]
    public async Task Requirements_of_skipped_targets_are_not_checked()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new PublishBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Notify", "--skip", "Publish");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Equal(["Test", "Notify"], build.Ran);
    }

    [Fact]
    public async Task A_requirement_on_a_plain_member_names_the_member()
    {
        // Given
        using var harness = new BuildHarness();

        // When
        var exitCode = await harness.RunAsync(new PublishBuild(), "Release");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Release needs ReleaseNotes to have a value", harness.Output);
    }

    private sealed class PublishBuild : RecordingBuild
    {
        [Parameter("Registry password", "REGISTRY_PASSWORD", "DOCKERHUB_TOKEN"), Secret]
        public string? RegistryPassword { get; set; }

        [Parameter("Image repository")]
        public string? Repository { get; set; }

        public string[] ReleaseNotes { get; } = [];

        Target Test => _ => _.Executes(Record(nameof(Test)));

        Target Publish => _ => _
            .DependsOn(Test)
            .Requires(() => Repository)
            .Requires(() => RegistryPassword)
            .Executes(Record(nameof(Publish)));

        Target Notify => _ => _.DependsOn(Publish).Executes(Record(nameof(Notify)));

        Target Release => _ => _.Requires(() => ReleaseNotes).Executes(Record(nameof(Release)));
    }
}
