namespace PostgresReplication.Publishing;

/// <summary>
/// Creates the annotated tag <c>vX.Y.Z</c> ("Release X.Y.Z") that starts a release, after
/// checking the version, a clean working tree and that the tag is new; pushes it on request.
/// </summary>
public sealed class ReleaseTagger(string repositoryDirectory, Action<string> report)
{
    private readonly Git git = new(repositoryDirectory);

    /// <exception cref="ReleaseRefusedException">The version, the tree or an existing tag forbids the release.</exception>
    public async Task<ReleaseTag> CreateAsync(string version, bool push, string remote = "origin", CancellationToken ct = default)
    {
        var release = SemanticVersion.TryParse(version.Trim(), out var parsed)
            ? parsed
            : throw new InvalidReleaseVersionException(version);
        var name = NearestTag.TagPrefix + release;

        var changes = (await git.RunAsync(["status", "--porcelain"], ct)).Lines.ToList();
        if (changes.Count > 0)
        {
            throw new DirtyWorkingTreeException(changes);
        }

        if ((await git.TryRunAsync(["rev-parse", "--verify", "-q", $"refs/tags/{name}"], ct)).Succeeded)
        {
            throw new ReleaseTagExistsException(name);
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
}
