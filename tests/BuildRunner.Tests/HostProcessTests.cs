namespace BuildRunner.Tests;

public sealed class HostProcessTests
{
    [Fact]
    public async Task Both_streams_and_the_exit_code_come_back()
    {
        // Given a program that writes to both streams and fails
        string[] script = ["-c", "echo out; echo err >&2; exit 3"];

        // When it runs
        var result = await HostProcess.RunAsync("sh", script, CancellationToken.None);

        // Then its exit code and each stream are returned, not thrown
        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.Contains("err", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_reaches_the_program_through_stdin_and_the_environment_not_its_arguments()
    {
        // Given a secret
        const string secret = "hunter2-secret";

        // When a program reads it from stdin and from its environment
        var result = await HostProcess.RunAsync(
            "sh", ["-c", "read -r line; echo \"$line $SECRET\""], CancellationToken.None,
            environment: new Dictionary<string, string> { ["SECRET"] = secret }, standardInput: secret);

        // Then it got both
        Assert.Equal($"{secret} {secret}\n", result.Stdout);
    }

    [Fact]
    public async Task Cancelling_kills_the_program_and_its_children()
    {
        // Given a program that starts a child and waits for it
        var pidFile = Path.Combine(Path.GetTempPath(), $"hostprocess-{Guid.NewGuid():N}.pid");
        using var cancel = new CancellationTokenSource();
        var run = HostProcess.RunAsync("sh", ["-c", $"sleep 30 & echo $! > {pidFile}; wait"], cancel.Token);
        while (!File.Exists(pidFile) || (await File.ReadAllTextAsync(pidFile)).Trim().Length == 0)
        {
            await Task.Delay(20);
        }

        var child = (await File.ReadAllTextAsync(pidFile)).Trim();
        File.Delete(pidFile);

        // When the run is cancelled
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // Then the child is gone too (at most a zombie nobody reaped yet)
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Alive(child) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(Alive(child), $"child {child} still runs");
    }

    private static bool Alive(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_named_in_the_error()
    {
        // When a missing program is run
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => HostProcess.RunAsync("no-such-program-here", [], CancellationToken.None));

        // Then the message names it
        Assert.Contains("Could not start no-such-program-here", error.Message, StringComparison.Ordinal);
    }
}
