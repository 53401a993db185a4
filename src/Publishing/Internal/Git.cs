using BuildRunner;

namespace PostgresReplication.Publishing;

/// <summary>Runs git through <see cref="HostProcess"/> in one repository folder.</summary>
internal sealed class Git(string repositoryDirectory)
{
    // Paths unquoted, and never a credential prompt: a build waiting on stdin just hangs.
    private static readonly Dictionary<string, string> environment = new()
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["LC_ALL"] = "C",
    };

    public string RepositoryDirectory { get; } = repositoryDirectory;

    /// <summary>Runs git and throws when it exits non-zero, with the command and git's own explanation.</summary>
    public async Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var result = await TryRunAsync(arguments, ct);
        return result.Succeeded
            ? result
            : throw new InvalidOperationException(
                $"git {string.Join(' ', arguments)} failed (exit {result.ExitCode}): {FirstLines(result.Stderr)}");
    }

    public Task<ProcessResult> TryRunAsync(IReadOnlyList<string> arguments, CancellationToken ct) =>
        HostProcess.RunAsync("git", ["-c", "core.quotepath=off", .. arguments], ct, environment, RepositoryDirectory);

    private static string FirstLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) switch
        {
            [] => "no message",
            [var only] => only,
            var lines => string.Join(" / ", lines.Take(3)),
        };
}
