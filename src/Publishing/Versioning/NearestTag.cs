namespace PostgresReplication.Publishing;

/// <summary>A version tag found while walking back from HEAD, with its distance in commits.</summary>
public sealed record TagCandidate(string Tag, SemanticVersion Version, string Commit, int Height);

/// <summary>
/// Finds the version tag that sets HEAD's version, the way MinVer does: walk the history
/// breadth-first from HEAD, stop each path at its first tagged commit, and among the tags
/// found take the highest version (the nearest one when two are equal). Pure: the caller
/// passes the commit graph and the tags.
/// </summary>
public static class NearestTag
{
    public const string TagPrefix = "v";

    /// <param name="head">The commit to version.</param>
    /// <param name="parents">Each commit's parents; commits missing here count as roots.</param>
    /// <param name="tags">Tag name to the commit it points at; names that are not v+SemVer are ignored.</param>
    public static (TagCandidate? Tag, int HeightFromRoot) Find(
        string head, IReadOnlyDictionary<string, IReadOnlyList<string>> parents, IReadOnlyDictionary<string, string> tags)
    {
        var versionsByCommit = VersionTagsByCommit(tags);
        var candidates = new List<TagCandidate>();
        int? heightFromRoot = null;
        var seen = new HashSet<string>(StringComparer.Ordinal) { head };
        var queue = new Queue<(string Commit, int Height)>();
        queue.Enqueue((head, 0));
        while (queue.TryDequeue(out var current))
        {
            if (versionsByCommit.TryGetValue(current.Commit, out var tagged))
            {
                candidates.AddRange(tagged.Select(t => new TagCandidate(t.Tag, t.Version, current.Commit, current.Height)));
                continue;
            }

            var commitParents = parents.GetValueOrDefault(current.Commit) ?? [];
            if (commitParents.Count == 0)
            {
                // Breadth-first: the first root reached is the nearest one.
                heightFromRoot ??= current.Height;
            }

            foreach (var parent in commitParents.Where(seen.Add))
            {
                queue.Enqueue((parent, current.Height + 1));
            }
        }

        var best = candidates
            .OrderByDescending(c => c.Version)
            .ThenBy(c => c.Height)
            .ThenBy(c => c.Tag, StringComparer.Ordinal)
            .FirstOrDefault();
        return (best, heightFromRoot ?? 0);
    }

    /// <summary>The version a tag name stands for, or null when it is not v followed by SemVer.</summary>
    public static SemanticVersion? VersionOf(string tagName) =>
        tagName.StartsWith(TagPrefix, StringComparison.Ordinal)
        && SemanticVersion.TryParse(tagName[TagPrefix.Length..], out var version)
            ? version
            : null;

    private static Dictionary<string, List<(string Tag, SemanticVersion Version)>> VersionTagsByCommit(
        IReadOnlyDictionary<string, string> tags)
    {
        var byCommit = new Dictionary<string, List<(string, SemanticVersion)>>(StringComparer.Ordinal);
        foreach (var (name, commit) in tags)
        {
            if (VersionOf(name) is { } version)
            {
                if (!byCommit.TryGetValue(commit, out var list))
                {
                    byCommit[commit] = list = [];
                }

                list.Add((name, version));
            }
        }

        return byCommit;
    }
}
