using BuildRunner.Internal;
using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Words_after_an_option_belong_to_it_only_as_far_as_its_arity_allows()
    {
        // Given
        string[] args = ["Test", "--verbose", "Stop", "--pg-version", "17", "Clean", "--skip", "A", "B"];
        OptionArity Arity(string flag) => flag switch
        {
            "--verbose" => OptionArity.Flag,
            "--pg-version" => OptionArity.Single,
            _ => OptionArity.List,
        };

        // When
        var commandLine = CommandLine.Parse(args, Arity);

        // Then
        Assert.Equal(["Test", "Stop", "Clean"], commandLine.Targets);
        Assert.Equal(["17"], commandLine.Values("--pg-version"));
        Assert.Equal(["A", "B"], commandLine.Values("--skip"));
        Assert.True(commandLine.IsSet("--verbose"));
    }

    [Fact]
    public void Flags_accept_an_equals_sign_any_case_and_dash_h()
    {
        // Given
        string[] args = ["--PG-Version=15", "-h"];

        // When
        var commandLine = CommandLine.Parse(args, _ => OptionArity.Single);

        // Then
        Assert.Equal(["15"], commandLine.Values("--pg-version"));
        Assert.True(commandLine.IsSet("--help"));
        Assert.Empty(commandLine.Targets);
    }

    [Fact]
    public async Task An_unknown_option_is_an_error_listing_the_valid_ones()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new SmallBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Test", "--pg-verison", "17");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Unknown option --pg-verison. Valid options: --help, --plan, --skip, --verbose, --pg-version", harness.Output);
    }

    [Fact]
    public async Task An_unknown_target_is_an_error_listing_the_valid_ones()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new SmallBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Tset");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Unknown target 'Tset'. Valid targets: Compile, Test, Loop, Back", harness.Output);
    }

    [Fact]
    public async Task Target_names_on_the_command_line_are_case_insensitive()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new SmallBuild();

        // When
        var exitCode = await harness.RunAsync(build, "TEST");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Equal(["Compile", "Test"], build.Ran);
    }

    [Fact]
    public async Task Plan_prints_the_order_and_runs_nothing()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new SmallBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Test", "--plan", "--skip", "Compile");

        // Then
        Assert.Equal(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Matches(@"1\. Compile\s+skipped", harness.Output);
        Assert.Matches(@"2\. Test", harness.Output);
    }

    [Fact]
    public async Task A_cycle_fails_the_build_before_any_target_ran()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new SmallBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Compile", "Loop");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Loop -> Back -> Loop", harness.Output);
    }

    [Fact]
    public async Task Without_targets_the_default_target_runs()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new SmallBuild();

        // When
        var exitCode = await harness.RunAsync(build, b => b.Test, CancellationToken.None);

        // Then
        Assert.Equal(0, exitCode);
        Assert.Equal(["Compile", "Test"], build.Ran);
    }

    [Fact]
    public async Task Without_targets_or_a_default_the_error_lists_the_targets()
    {
        // Given
        using var harness = new BuildHarness();

        // When
        var exitCode = await harness.RunAsync(new SmallBuild());

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Contains("No target given. Valid targets: Compile, Test, Loop, Back", harness.Output);
    }

    private sealed class SmallBuild : RecordingBuild
    {
        [Parameter("PostgreSQL major version")]
        public int PgVersion { get; set; } = 18;

        public Target Compile => _ => _.Executes(Record(nameof(Compile)));

        public Target Test => _ => _.DependsOn(Compile).Executes(Record(nameof(Test)));

        public Target Loop => _ => _.DependsOn(Back).Executes(Record(nameof(Loop)));

        public Target Back => _ => _.DependsOn(Loop).Executes(Record(nameof(Back)));
    }
}
