namespace PostgresReplication.Publishing;

/// <summary>A release tag that <see cref="ReleaseTagger"/> created.</summary>
/// <param name="Remote">The remote it was pushed to, or null when it stayed local.</param>
public sealed record ReleaseTag(string Name, SemanticVersion Version, string Commit, string? Remote);
