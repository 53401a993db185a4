using System.Text.RegularExpressions;
using BuildRunner;
using PostgresReplication.Publishing;

namespace Pipeline.Tests;

/// <summary>A workflow or the README that names a target the build does not have fails here, not on GitHub.</summary>
public sealed partial class WorkflowTargetTests
{
    public static TheoryData<string> Workflows() =>
        [.. Directory.GetFiles(RepositoryRoot.Combine(".github", "workflows"), "*.yml").Select(f => Path.GetFileName(f))];

    [Fact]
    public void The_build_declares_the_pipeline_steps()
    {
        // Given the tutorial's steps as targets
        string[] steps = ["Clean", "BaseImage", "BuildImage", "StartPrimary", "StartStandby", "Seed", "AssertReplication", "Test", "Switchover", "Failover", "Up", "Down", "Publish", "Release"];

        // Then each is a target of the build
        Assert.All(steps, step => Assert.Contains(step, BuildTargets.Names));
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public async Task Every_target_a_workflow_runs_exists(string workflow)
    {
        // Given a workflow file
        var path = RepositoryRoot.Combine(".github", "workflows", workflow);

        // When its ./build.sh targets are read
        var targets = await WorkflowTargets.FromFileAsync(path, CancellationToken.None);

        // Then it runs at least one, and each is declared by the build
        Assert.NotEmpty(targets);
        Assert.All(targets, target => Assert.Contains(target, BuildTargets.Names));
    }

    [Fact]
    public void Every_target_the_readme_names_exists()
    {
        // Given the README's commands
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));

        // When the targets after ./build.sh are collected
        var named = BuildCommand().Matches(readme).Select(m => m.Groups["target"].Value).ToList();

        // Then the quick start's Test is among them and each is declared
        Assert.Contains("Test", named);
        Assert.All(named, target => Assert.Contains(target, BuildTargets.Names));
    }

    [GeneratedRegex(@"\./build\.(sh|ps1) (?<target>[A-Z][A-Za-z]+)")]
    private static partial Regex BuildCommand();
}
