using System.Text.RegularExpressions;
using BuildRunner;

namespace Pipeline.Tests;

/// <summary>
/// A workflow or the README that names a target the build does not have fails here, not on GitHub;
/// and the reading of a workflow's <c>./build.sh</c> targets itself.
/// </summary>
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

    [Theory]
    [InlineData("ci.yml", "Test")]
    [InlineData("release.yml", "Publish")]
    public async Task The_real_workflows_call_exactly_these_targets(string workflow, string target)
    {
        // Given one of the repository's workflow files
        var path = RepositoryRoot.Combine(".github", "workflows", workflow);

        // When its build.sh targets are read
        var targets = await WorkflowTargets.FromFileAsync(path, CancellationToken.None);

        // Then exactly the one target
        Assert.Equal([target], targets);
    }

    [Fact]
    public async Task Ci_installs_what_the_publishing_tests_start_before_the_test_suite()
    {
        // Given the CI workflow's run scripts, in order
        var yaml = await File.ReadAllTextAsync(RepositoryRoot.Combine(".github", "workflows", "ci.yml"));
        var scripts = WorkflowTargets.ScriptsOf(yaml).Select(ShellWords.Split).ToList();

        // When the README's test command and an apt-get install of the registry and htpasswd are found
        var suite = scripts.FindIndex(words => words.SequenceEqual(["dotnet", "test"]));
        var install = scripts.FindIndex(words =>
            words.Contains("apt-get") && words.Contains("install") && words.Contains("docker-registry") && words.Contains("apache2-utils"));

        // Then both are there, the install first (GitHub's runners have neither package)
        Assert.True(suite >= 0, "ci.yml has no step running `dotnet test`");
        Assert.True(install >= 0, "ci.yml installs no docker-registry and apache2-utils (htpasswd)");
        Assert.True(install < suite, "ci.yml installs docker-registry and apache2-utils only after `dotnet test`");
    }

    [Fact]
    public void Reads_targets_from_single_and_multi_line_run_steps()
    {
        // Given steps with expressions, continuations, chained commands and comments
        const string yaml = """
            on: push
            defaults:
              run:
                shell: bash
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - name: ./build.sh NotARunStep
                    run: ./build.sh Test --pg-version ${{ matrix.pg }}
                  - run: |
                      # ./build.sh Commented
                      echo "./build.sh Quoted"
                      ./build.sh Clean Compile \
                        --configuration Release && ./build.sh Pack>out.log
                      bash build.sh Lint; FOO=1 ./build.sh ${{ matrix.target }} Tail
              other:
                runs-on: ubuntu-latest
                steps:
                  - run: >-
                      ./build.sh Publish
                      --repository x
            """;

        // When the targets are read
        var targets = WorkflowTargets.FromYaml(yaml);

        // Then every positional target and nothing else
        Assert.Equal(["Clean", "Compile", "Lint", "Pack", "Publish", "Test"], targets);
    }

    [Fact]
    public void A_workflow_without_build_sh_has_no_targets()
    {
        // Given a workflow that only runs dotnet
        const string yaml = """
            on: push
            jobs:
              test:
                runs-on: ubuntu-latest
                steps:
                  - run: dotnet test
            """;

        // When the targets are read
        var targets = WorkflowTargets.FromYaml(yaml);

        // Then there are none
        Assert.Empty(targets);
    }

    [GeneratedRegex(@"\./build\.(sh|ps1) (?<target>[A-Z][A-Za-z]+)")]
    private static partial Regex BuildCommand();
}
