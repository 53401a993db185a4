using BuildRunner;

namespace PostgresReplication.Publishing.Tests;

public sealed class WorkflowTargetsTests
{
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
}
