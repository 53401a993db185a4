using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class ParameterPrecedenceTests
{
    [Fact]
    public async Task Without_any_source_the_initializer_stays()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new VersionBuild();

        // When
        await harness.RunAsync(build, "Show");

        // Then
        Assert.Equal(18, build.PgVersion);
    }

    [Fact]
    public async Task Parameters_json_beats_the_initializer()
    {
        // Given
        using var harness = new BuildHarness();
        harness.WriteParameters("""{ "$schema": "./build.schema.json", "PgVersion": 17 }""");
        var build = new VersionBuild();

        // When
        await harness.RunAsync(build, "Show");

        // Then
        Assert.Equal(17, build.PgVersion);
    }

    [Fact]
    public async Task The_environment_beats_parameters_json()
    {
        // Given
        using var harness = new BuildHarness();
        harness.WriteParameters("""{ "PgVersion": 17 }""");
        harness.Environment["PG_VERSION"] = "16";
        var build = new VersionBuild();

        // When
        await harness.RunAsync(build, "Show");

        // Then
        Assert.Equal(16, build.PgVersion);
    }

    [Fact]
    public async Task The_command_line_beats_the_environment()
    {
        // Given
        using var harness = new BuildHarness();
        harness.WriteParameters("""{ "PgVersion": 17 }""");
        harness.Environment["PG_VERSION"] = "16";
        var build = new VersionBuild();

        // When
        await harness.RunAsync(build, "Show", "--pg-version", "15");

        // Then
        Assert.Equal(15, build.PgVersion);
    }

    [Fact]
    public async Task The_member_name_comes_first_then_extra_environment_names_in_order()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["REGISTRY_TOKEN"] = "second";
        harness.Environment["DOCKERHUB_TOKEN"] = "third";
        var first = new VersionBuild();
        var second = new VersionBuild();

        // When
        await harness.RunAsync(second, "Show");
        harness.Environment["TOKEN"] = "first";
        await harness.RunAsync(first, "Show");

        // Then
        Assert.Equal("second", second.Token);
        Assert.Equal("first", first.Token);
    }

    [Fact]
    public async Task An_empty_environment_variable_counts_as_unset()
    {
        // Given
        using var harness = new BuildHarness();
        harness.WriteParameters("""{ "PgVersion": 17 }""");
        harness.Environment["PG_VERSION"] = "";
        var build = new VersionBuild();

        // When
        await harness.RunAsync(build, "Show");

        // Then
        Assert.Equal(17, build.PgVersion);
    }

    [Fact]
    public async Task RootDirectory_is_the_folder_holding_dot_nuke()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new VersionBuild();

        // When
        await harness.RunAsync(build, "Show");

        // Then
        Assert.Equal(harness.Root, build.Root);
    }

    [Fact]
    public async Task A_named_parameter_takes_its_flag_environment_and_json_key_from_the_name()
    {
        // Given a parameter whose member name is taken by a target, so it names itself BaseImage
        using var harness = new BuildHarness();
        harness.WriteParameters("""{ "BaseImage": "from-json" }""");
        var fromJson = new NamedBuild();
        var fromEnvironment = new NamedBuild();
        var fromFlag = new NamedBuild();

        // When each source is used
        await harness.RunAsync(fromJson, "BaseImage");
        harness.Environment["BASE_IMAGE"] = "from-env";
        await harness.RunAsync(fromEnvironment, "BaseImage");
        await harness.RunAsync(fromFlag, "BaseImage", "--base-image", "from-flag");

        // Then the name decides the key, the variable and the flag, not the member
        Assert.Equal("from-json", fromJson.BaseImageParameter);
        Assert.Equal("from-env", fromEnvironment.BaseImageParameter);
        Assert.Equal("from-flag", fromFlag.BaseImageParameter);
    }

    private sealed class NamedBuild : RecordingBuild
    {
        [Parameter("Base image", Name = "BaseImage")]
        public readonly string? BaseImageParameter = null;

        Target BaseImage => _ => _.Executes(Record(nameof(BaseImage)));
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("17", null, false)]
    [InlineData(null, "16", true)]
    [InlineData("17", "16", true)]
    public async Task A_parameter_counts_as_given_from_the_environment_or_command_line_not_from_parameters_json(
        string? inFile, string? inEnvironment, bool given)
    {
        // Given
        using var harness = new BuildHarness();
        if (inFile is not null)
        {
            harness.WriteParameters($$"""{ "PgVersion": {{inFile}} }""");
        }

        if (inEnvironment is not null)
        {
            harness.Environment["PG_VERSION"] = inEnvironment;
        }

        var build = new VersionBuild();

        // When
        await harness.RunAsync(build, "Show");

        // Then
        Assert.Equal(given, build.PgVersionGiven);
    }

    [Fact]
    public async Task A_parameter_on_the_command_line_counts_as_given()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new VersionBuild();

        // When
        await harness.RunAsync(build, "Show", "--pg-version", "18");

        // Then
        Assert.True(build.PgVersionGiven);
    }

    private sealed class VersionBuild : RecordingBuild
    {
        public bool PgVersionGiven { get; private set; }

        [Parameter("PostgreSQL major version")]
        public readonly int PgVersion = 18;

        [Parameter("Registry token", "REGISTRY_TOKEN", "DOCKERHUB_TOKEN")]
        public readonly string? Token = null;

        Target Show => _ => _.Executes(() => PgVersionGiven = IsGiven(nameof(PgVersion))).Executes(Record(nameof(Show)));
    }
}
