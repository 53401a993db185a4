namespace PostgresReplication.Publishing;

/// <summary>The release tag already exists; versions are never re-tagged.</summary>
public sealed class ReleaseTagExistsException(string tag)
    : ReleaseRefusedException($"Tag {tag} already exists: choose the next version.")
{
    public string Tag { get; } = tag;
}
