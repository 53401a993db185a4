using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class ParameterParsingTests
{
    [Fact]
    public async Task Every_supported_type_is_parsed_from_the_command_line()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new TypedBuild();

        // When
        var exitCode = await harness.RunAsync(
            build,
            "Show",
            "--standbys", "2",
            "--max-lag", "7",
            "--keep-containers",
            "--ratio", "0.25",
            "--wait-timeout", "90",
            "--extensions", "pg_stat_statements,pgcrypto", "hstore",
            "--mode", "ASYNC",
            "--base-image", "postgres:18-alpine");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Equal(2, build.Standbys);
        Assert.Equal(7, build.MaxLag);
        Assert.True(build.KeepContainers);
        Assert.Equal(0.25, build.Ratio);
        Assert.Equal(TimeSpan.FromSeconds(90), build.WaitTimeout);
        Assert.Equal(["pg_stat_statements", "pgcrypto", "hstore"], build.Extensions);
        Assert.Equal(SyncMode.Async, build.Mode);
        Assert.Equal("postgres:18-alpine", build.BaseImage);
    }

    [Fact]
    public async Task A_flag_can_be_switched_off_explicitly()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new TypedBuild { Cache = true };

        // When
        await harness.RunAsync(build, "--cache", "false", "Show");

        // Then
        Assert.False(build.Cache);
        Assert.Equal(["Show"], build.Ran);
    }

    [Fact]
    public async Task Json_numbers_booleans_and_arrays_are_accepted()
    {
        // Given
        using var harness = new BuildHarness();
        harness.WriteParameters("""
            { "Standbys": 3, "KeepContainers": true, "Ratio": 1.5, "Extensions": ["postgis", "hstore"], "Mode": "sync" }
            """);
        var build = new TypedBuild();

        // When
        await harness.RunAsync(build, "Show");

        // Then
        Assert.Equal(3, build.Standbys);
        Assert.True(build.KeepContainers);
        Assert.Equal(1.5, build.Ratio);
        Assert.Equal(["postgis", "hstore"], build.Extensions);
        Assert.Equal(SyncMode.Sync, build.Mode);
    }

    [Fact]
    public async Task A_list_from_the_environment_may_use_commas_or_spaces()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["EXTENSIONS"] = "a, b c";
        var build = new TypedBuild();

        // When
        await harness.RunAsync(build, "Show");

        // Then
        Assert.Equal(["a", "b", "c"], build.Extensions);
    }

    [Fact]
    public async Task A_bad_integer_names_the_flag_the_expected_type_and_the_source()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["STANDBYS"] = "two";
        var build = new TypedBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Show");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("--standbys expects an integer, but environment variable STANDBYS gives 'two'", harness.Output);
    }

    [Fact]
    public async Task A_bad_enum_value_lists_the_valid_names()
    {
        // Given
        using var harness = new BuildHarness();

        // When
        var exitCode = await harness.RunAsync(new TypedBuild(), "Show", "--mode", "eventually");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--mode expects one of Async, Sync", harness.Output);
    }

    [Fact]
    public async Task A_flag_that_needs_a_value_but_has_none_is_an_error()
    {
        // Given
        using var harness = new BuildHarness();

        // When
        var exitCode = await harness.RunAsync(new TypedBuild(), "Show", "--wait-timeout");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--wait-timeout expects a number of seconds, but the command line gives no value", harness.Output);
    }

    [Fact]
    public async Task A_bad_value_in_parameters_json_names_the_file()
    {
        // Given
        using var harness = new BuildHarness();
        harness.WriteParameters("""{ "Ratio": "lots" }""");

        // When
        var exitCode = await harness.RunAsync(new TypedBuild(), "Show");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--ratio expects a number, but ", harness.Output);
        Assert.Contains("parameters.json gives 'lots'", harness.Output);
    }

    internal enum SyncMode
    {
        Async,
        Sync,
    }

    private sealed class TypedBuild : RecordingBuild
    {
        [Parameter("Number of standbys")]
        public int Standbys { get; set; } = 1;

        [Parameter("Largest acceptable lag")]
        public int? MaxLag { get; set; }

        [Parameter("Keep containers after the run")]
        public bool KeepContainers { get; set; }

        [Parameter("Use the build cache")]
        public bool Cache { get; set; }

        [Parameter("Share of rows to check")]
        public double Ratio { get; set; }

        [Parameter("How long to wait for readiness")]
        public TimeSpan? WaitTimeout { get; set; }

        [Parameter("Extensions to install")]
        public string[] Extensions { get; set; } = [];

        [Parameter("Synchronous replication mode")]
        public SyncMode Mode { get; set; }

        [Parameter("Base image")]
        public string? BaseImage { get; set; }

        Target Show => _ => _.Executes(Record(nameof(Show)));
    }
}
