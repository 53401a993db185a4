using System.Text.Json;
using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class BuildSchemaTests
{
    [Fact]
    public async Task A_run_writes_the_schema_of_every_parameter()
    {
        // Given a build with parameters of several types
        using var harness = new BuildHarness();

        // When it runs
        await harness.RunAsync(new SchemaBuild(), "Show");

        // Then .nuke/build.schema.json describes each by name, type and description
        using var schema = JsonDocument.Parse(File.ReadAllText(BuildSchema.PathIn(harness.Root)));
        var properties = schema.RootElement.GetProperty("properties");
        Assert.Equal("integer", properties.GetProperty("Standbys").GetProperty("type").GetString());
        Assert.Equal("Number of standbys", properties.GetProperty("Standbys").GetProperty("description").GetString());
        Assert.Equal("boolean", properties.GetProperty("NoPull").GetProperty("type").GetString());
        Assert.Equal("number", properties.GetProperty("WaitTimeout").GetProperty("type").GetString());
        Assert.Equal("array", properties.GetProperty("PrimaryEnv").GetProperty("type").GetString());
        Assert.Equal(
            ["Fast", "Immediate"],
            properties.GetProperty("Shutdown").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.False(schema.RootElement.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public async Task An_unchanged_schema_is_not_rewritten()
    {
        // Given a run that wrote the schema
        using var harness = new BuildHarness();
        await harness.RunAsync(new SchemaBuild(), "Show");
        var path = BuildSchema.PathIn(harness.Root);
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, written);

        // When the same build runs again
        await harness.RunAsync(new SchemaBuild(), "Show");

        // Then the file was left as it was
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
    }

    private enum ShutdownMode
    {
        Fast,
        Immediate,
    }

    private sealed class SchemaBuild : RecordingBuild
    {
        [Parameter("Number of standbys")]
        public readonly int Standbys = 1;

        [Parameter("Never pull")]
        public readonly bool NoPull = false;

        [Parameter("Seconds per wait")]
        public readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(120);

        [Parameter("Extra environment")]
        public readonly string[] PrimaryEnv = [];

        [Parameter("How nodes stop")]
        public readonly ShutdownMode Shutdown = ShutdownMode.Fast;

        Target Show => _ => _.Executes(Record(nameof(Show)));
    }
}
