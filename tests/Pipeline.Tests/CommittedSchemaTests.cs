using BuildRunner;

namespace Pipeline.Tests;

public sealed class CommittedSchemaTests
{
    [Fact]
    public void The_committed_schema_is_the_one_the_build_parameters_make()
    {
        // Given the schema parameters.json points at, as committed
        var committed = File.ReadAllText(BuildSchema.PathIn(RepositoryRoot.OfProgram));

        // When it is made again from the build's parameters
        var generated = BuildSchema.Generate(typeof(Build));

        // Then they are the same (./build.sh --help writes it anew)
        Assert.Equal(generated, committed);
    }
}
