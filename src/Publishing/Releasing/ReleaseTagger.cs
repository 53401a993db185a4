namespace PostgresReplication.Publishing;

/// <summary>
/// Creates the annotated tag <c>vX.Y.Z</c> ("Release X.Y.Z") that starts a release, after
/// checking the version, a clean working tree and that the tag is new; pushes it on request.
/// </summary>
public sealed class ReleaseTagger(string repositoryDirectory, Action<string> report)
{
    private const int ShownChanges = 5;
    private readonly Git git = new(repositoryDirectory);

    /// <exception cref="ReleaseRefusedException">The version, the tree or an existing tag forbids the release.</exception>
    public async Task<ReleaseTag> CreateAsync(string version, bool push, string remote = "origin", CancellationToken ct = default)
    {
        var release = SemanticVersion.TryParse(version.Trim(), out var parsed)
            ? parsed
            : throw new ReleaseRefusedException(NotSemVer(version));
        var name = NearestTag.TagPrefix + release;

        var changes = (await git.RunAsync(["status", "--porcelain"], ct)).Lines.ToList();
        if (changes.Count > 0)
        {
            throw new ReleaseRefusedException(Dirty(changes));
        }

        if ((await git.TryRunAsync(["rev-parse", "--verify", "-q", $"refs/tags/{name}"], ct)).Succeeded)
        {
            throw new ReleaseRefusedException($"Tag {name} already exists: choose the next version.");
        }

        await git.RunAsync(["tag", "--annotate", name, "--message", $"Release {release}"], ct);
        var commit = (await git.RunAsync(["rev-parse", $"{name}^{{commit}}"], ct)).Stdout.Trim();
        report($"created tag {name} on {commit[..Math.Min(12, commit.Length)]}");
        if (!push)
        {
            report($"not pushed: run 'git push {remote} {name}' to start the release workflow");
            return new ReleaseTag(name, release, commit, null);
        }

        await git.RunAsync(["push", remote, $"refs/tags/{name}"], ct);
        report($"pushed tag {name} to {remote}");
        return new ReleaseTag(name, release, commit, remote);
    }

    private static string NotSemVer(string version) =>
        version.StartsWith('v') && SemanticVersion.TryParse(version[1..], out _)
            ? $"'{version}' is not a SemVer 2.0 version: give it without the 'v' (e.g. 1.2.3); the tag gets the 'v'."
            : $"'{version}' is not a SemVer 2.0 version: use MAJOR.MINOR.PATCH, e.g. 1.2.3 (or 1.2.3-rc.1).";

    /// <param name="changes">Lines of <c>git status --porcelain</c>, e.g. <c>M src/a.cs</c> or <c>?? notes.txt</c>.</param>
    private static string Dirty(IReadOnlyList<string> changes)
    {
        var more = changes.Count > ShownChanges ? $" and {changes.Count - ShownChanges} more" : "";
        return $"The working tree has uncommitted changes ({string.Join(", ", changes.Take(ShownChanges))}{more}): " +
            "commit or stash them before tagging a release.";
    }
}

/// <summary>A release tag that <see cref="ReleaseTagger"/> created.</summary>
/// <param name="Remote">The remote it was pushed to, or null when it stayed local.</param>
public sealed record ReleaseTag(string Name, SemanticVersion Version, string Commit, string? Remote);

/// <summary>
/// A release tag was not created because a precondition failed (the version, a dirty tree, an
/// existing tag). The message is one line meant for the user; nothing in the repository was changed.
/// </summary>
public sealed class ReleaseRefusedException(string message) : Exception(message);
