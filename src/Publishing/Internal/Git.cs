using System.Diagnostics;

namespace PostgresReplication.Publishing;

/// <summary>Runs git as a child process in one repository folder; arguments never pass through a shell.</summary>
internal sealed class Git(string repositoryDirectory)
{
    public string RepositoryDirectory { get; } = repositoryDirectory;

    /// <summary>Runs git and throws <see cref="GitCommandException"/> when it exits non-zero.</summary>
    public async Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var result = await TryRunAsync(arguments, ct);
        return result.Succeeded ? result : throw new GitCommandException(arguments, result);
    }

    public async Task<GitResult> TryRunAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = RepositoryDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Paths unquoted, and never a credential prompt: a build waiting on stdin just hangs.
        foreach (var argument in (string[])["-c", "core.quotepath=off", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("git could not be started; is it installed and on PATH?");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return new GitResult(process.ExitCode, await output, (await error).Trim());
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw;
        }
    }
}
