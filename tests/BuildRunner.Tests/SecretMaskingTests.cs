using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class SecretMaskingTests
{
    // Unique per test: the masker is process-wide, and other tests must not see these masked.
    private const string HelpSecret = "help-secret-7f3a9c";
    private const string LogSecret = "log-secret-51be02";
    private const string FailureSecret = "failure-secret-c0ffee";
    private const string PlanSecret = "plan-secret-9d2e44";

    [Fact]
    public async Task Help_shows_secret_instead_of_the_value_even_where_a_description_quotes_it()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["REGISTRY_PASSWORD"] = HelpSecret;

        // When
        var exitCode = await harness.RunAsync(new SecretBuild(), "--help");

        // Then
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(HelpSecret, harness.Output);
        Assert.Contains("(secret)", harness.Output);
        Assert.Contains("Pushes with *****", harness.Output);
    }

    [Fact]
    public async Task Log_lines_from_the_build_are_masked()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["REGISTRY_PASSWORD"] = LogSecret;

        // When
        await harness.RunAsync(new SecretBuild(), "Login");

        // Then
        Assert.DoesNotContain(LogSecret, harness.Output);
        Assert.Contains("logging in with *****", harness.Output);
        Assert.Contains("warning: retrying *****", harness.Output);
    }

    [Fact]
    public async Task An_exception_message_that_contains_the_secret_is_masked()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["REGISTRY_PASSWORD"] = FailureSecret;

        // When
        var exitCode = await harness.RunAsync(new SecretBuild(), "Push", "--verbose");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain(FailureSecret, harness.Output);
        Assert.Contains("denied for *****", harness.Output);
    }

    [Fact]
    public async Task Plan_and_command_line_errors_are_masked()
    {
        // Given: someone pasted the password where a target name goes
        using var harness = new BuildHarness();
        harness.Environment["REGISTRY_PASSWORD"] = PlanSecret;

        // When
        var planExit = await harness.RunAsync(new SecretBuild(), "Push", "--plan");
        var typoExit = await harness.RunAsync(new SecretBuild(), PlanSecret);

        // Then
        Assert.Equal(0, planExit);
        Assert.NotEqual(0, typoExit);
        Assert.DoesNotContain(PlanSecret, harness.Output);
        Assert.Contains("Unknown target '*****'", harness.Output);
    }

    [Fact]
    public async Task A_secret_that_fails_to_parse_is_not_echoed()
    {
        // Given
        using var harness = new BuildHarness();
        harness.Environment["PIN"] = "not-a-pin-4e1d";

        // When
        var exitCode = await harness.RunAsync(new SecretBuild(), "Login");

        // Then
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--pin expects an integer, but environment variable PIN gives", harness.Output);
        Assert.DoesNotContain("not-a-pin-4e1d", harness.Output);
    }

    [Fact]
    public void The_masker_hides_a_longer_secret_whole_when_a_shorter_one_is_part_of_it()
    {
        // Given
        SecretMasker.Register("mask-part-a1");
        SecretMasker.Register("mask-part-a1-and-more");

        // When
        var masked = SecretMasker.Mask("token=mask-part-a1-and-more; other=mask-part-a1");

        // Then
        Assert.Equal("token=*****; other=*****", masked);
    }

    private sealed class SecretBuild : RecordingBuild
    {
        [Parameter("Registry password"), Secret]
        public string? RegistryPassword { get; set; }

        [Parameter("Registry PIN"), Secret]
        public int Pin { get; set; }

        Target Login => _ => _.Executes(() =>
        {
            Log.Info($"logging in with {RegistryPassword}");
            Log.Warn($"retrying {RegistryPassword}");
        });

        Target Push => _ => _
            .Description($"Pushes with {RegistryPassword}")
            .Executes(() => throw new InvalidOperationException($"denied for {RegistryPassword}"));
    }
}
