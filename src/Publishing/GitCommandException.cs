namespace PostgresReplication.Publishing;

/// <summary>A git command failed; the message carries the command and git's own explanation.</summary>
public sealed class GitCommandException : Exception
{
    internal GitCommandException(IReadOnlyList<string> arguments, GitResult result)
        : base($"git {string.Join(' ', arguments)} failed (exit {result.ExitCode}): {FirstLine(result.Error)}")
    {
        ExitCode = result.ExitCode;
        Error = result.Error;
    }

    public int ExitCode { get; }

    public string Error { get; }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) switch
        {
            [] => "no message",
            [var only] => only,
            var lines => string.Join(" / ", lines.Take(3)),
        };
}
