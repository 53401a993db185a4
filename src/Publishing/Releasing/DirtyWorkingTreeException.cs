namespace PostgresReplication.Publishing;

/// <summary>The working tree has uncommitted changes, so the tag would not describe what was built.</summary>
public sealed class DirtyWorkingTreeException(IReadOnlyList<string> changes)
    : ReleaseRefusedException(Describe(changes))
{
    private const int Shown = 5;

    /// <summary>Lines of <c>git status --porcelain</c>, e.g. <c>M src/a.cs</c> or <c>?? notes.txt</c>.</summary>
    public IReadOnlyList<string> Changes { get; } = changes;

    private static string Describe(IReadOnlyList<string> changes)
    {
        var more = changes.Count > Shown ? $" and {changes.Count - Shown} more" : "";
        return $"The working tree has uncommitted changes ({string.Join(", ", changes.Take(Shown))}{more}): " +
            "commit or stash them before tagging a release.";
    }
}
