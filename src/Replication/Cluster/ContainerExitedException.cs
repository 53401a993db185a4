namespace PostgresReplication;

/// <summary>A node's container stopped while something waited for it; carries its exit code and last log lines.</summary>
public sealed class ContainerExitedException(string node, long exitCode, IReadOnlyList<string> lastLogLines)
    : WaitAbortedException(Format(node, exitCode, lastLogLines))
{
    public string Node { get; } = node;

    public long ExitCode { get; } = exitCode;

    public IReadOnlyList<string> LastLogLines { get; } = lastLogLines;

    private static string Format(string node, long exitCode, IReadOnlyList<string> lines)
    {
        var last = lines.Count > 0 ? lines[^1] : "(no log output)";
        var tail = lines.Count > 1 ? $"{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", lines)}" : "";
        return $"{node} exited with code {exitCode}: {last}{tail}";
    }
}
