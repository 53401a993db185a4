using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class HelpTextTests
{
    [Fact]
    public async Task Help_lists_targets_with_dependencies_descriptions_and_the_default()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new DocumentedBuild();

        // When
        var exitCode = await harness.RunAsync(build, b => b.Test, CancellationToken.None, "--help");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Empty(build.Ran);
        var lines = harness.Output.Split(Environment.NewLine);
        Assert.Contains(lines, l => l.StartsWith("  Clean ", StringComparison.Ordinal) && l.EndsWith("Removes leftovers", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  Test (default) ", StringComparison.Ordinal) && l.Contains("Clean, BuildImage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_lists_parameters_with_flag_environment_description_and_current_value()
    {
        // Given
        using var harness = new BuildHarness();
        harness.WriteParameters("""{ "Standbys": 2 }""");

        // When
        await harness.RunAsync(new DocumentedBuild(), "-h");

        // Then
        var lines = harness.Output.Split(Environment.NewLine);
        Assert.Contains(lines, l => l.Contains("--pg-version <integer>", StringComparison.Ordinal)
            && l.Contains("PG_VERSION", StringComparison.Ordinal)
            && l.Contains("PostgreSQL major version", StringComparison.Ordinal)
            && l.EndsWith("18", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--standbys <integer>", StringComparison.Ordinal) && l.EndsWith("2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("REGISTRY_PASSWORD, DOCKERHUB_TOKEN", StringComparison.Ordinal)
            && l.EndsWith("(secret)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--base-image <text>", StringComparison.Ordinal) && l.EndsWith("(not set)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_lists_the_runner_options()
    {
        // Given
        using var harness = new BuildHarness();

        // When
        await harness.RunAsync(new DocumentedBuild(), "--help");

        // Then
        foreach (var option in new[] { "--help, -h", "--plan", "--skip [targets]", "--verbose" })
        {
            Assert.Contains($"  {option} ", harness.Output);
        }
    }

    private sealed class DocumentedBuild : RecordingBuild
    {
        [Parameter("PostgreSQL major version")]
        public int PgVersion { get; set; } = 18;

        [Parameter("Number of standbys")]
        public int Standbys { get; set; } = 1;

        [Parameter("Registry password", "REGISTRY_PASSWORD", "DOCKERHUB_TOKEN"), Secret]
        public string? RegistryPassword { get; set; } = "default-secret-help-3b";

        [Parameter("Base image")]
        public string? BaseImage { get; set; }

        public Target Clean => _ => _.Description("Removes leftovers").Executes(Record(nameof(Clean)));

        public Target BuildImage => _ => _.Executes(Record(nameof(BuildImage)));

        public Target Test => _ => _.DependsOn(Clean, BuildImage).Description("Runs the scenarios").Executes(Record(nameof(Test)));
    }
}
