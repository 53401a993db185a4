namespace PostgresReplication.Publishing;

/// <summary>
/// The version of the commit checked out in a repository, from its v-prefixed SemVer tags
/// (see <see cref="NearestTag"/> and <see cref="VersionRules"/>), and that commit's SHA.
/// </summary>
/// <param name="Tag">The tag the version derives from, or null when no version tag is reachable.</param>
/// <param name="Height">Commits between that tag (or the root commit) and HEAD.</param>
public sealed record ReleaseVersion(SemanticVersion Version, string Revision, string? Tag, int Height)
{
    public bool IsPreRelease => Version.IsPreRelease;

    public override string ToString() => $"{Version} ({Revision[..Math.Min(12, Revision.Length)]})";

    public static async Task<ReleaseVersion> ReadAsync(string repositoryDirectory, CancellationToken ct)
    {
        var git = new Git(repositoryDirectory);
        var head = await git.TryRunAsync(["rev-parse", "--verify", "-q", "HEAD^{commit}"], ct);
        if (!head.Succeeded)
        {
            throw new InvalidOperationException(
                $"{repositoryDirectory} has no commit checked out, so it has no version: commit first.");
        }

        var revision = head.Stdout.Trim();
        var parents = await ReadParentsAsync(git, ct);
        var tags = await ReadTagsAsync(git, ct);
        var (tag, heightFromRoot) = NearestTag.Find(revision, parents, tags);
        return tag is null
            ? new ReleaseVersion(VersionRules.Compute(null, heightFromRoot), revision, null, heightFromRoot)
            : new ReleaseVersion(VersionRules.Compute(tag.Version, tag.Height), revision, tag.Tag, tag.Height);
    }

    // One line per commit: its SHA, then its parents' SHAs.
    private static async Task<Dictionary<string, IReadOnlyList<string>>> ReadParentsAsync(Git git, CancellationToken ct)
    {
        var result = await git.RunAsync(["rev-list", "--parents", "HEAD"], ct);
        return result.Lines
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(ids => ids[0], ids => (IReadOnlyList<string>)ids[1..], StringComparer.Ordinal);
    }

    // Annotated tags are peeled to their commit (%(*objectname)); lightweight ones point at it.
    private static async Task<Dictionary<string, string>> ReadTagsAsync(Git git, CancellationToken ct)
    {
        var result = await git.RunAsync(
            ["for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)", $"refs/tags/{NearestTag.TagPrefix}*"],
            ct);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var fields in result.Lines.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            tags[fields[0]] = fields[^1];
        }

        return tags;
    }
}
