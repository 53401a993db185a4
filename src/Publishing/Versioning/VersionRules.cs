namespace PostgresReplication.Publishing;

/// <summary>
/// MinVer's height rule: how the nearest version tag and the number of commits since it
/// become the version of HEAD.
/// </summary>
public static class VersionRules
{
    /// <summary>The version used when no tag is reachable, and the label added after a release.</summary>
    public const string DefaultPreRelease = "alpha.0";

    /// <param name="tag">The nearest tagged version, or null when no version tag is reachable.</param>
    /// <param name="height">Commits from the tag to HEAD; without a tag, from the root commit.</param>
    public static SemanticVersion Compute(SemanticVersion? tag, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if (tag is null)
        {
            return new SemanticVersion(0, 0, 0, $"{DefaultPreRelease}.{height}");
        }

        if (height == 0)
        {
            return tag;
        }

        // After a release the next one is at least a patch; after a pre-release, the height
        // extends its label so 1.3.0-rc.1.2 still sorts below the coming 1.3.0.
        return tag.IsPreRelease
            ? new SemanticVersion(tag.Major, tag.Minor, tag.Patch, $"{tag.PreRelease}.{height}")
            : new SemanticVersion(tag.Major, tag.Minor, tag.Patch + 1, $"{DefaultPreRelease}.{height}");
    }
}
