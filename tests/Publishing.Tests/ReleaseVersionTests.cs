namespace PostgresReplication.Publishing.Tests;

/// <summary>The version read from a real git history, in throwaway repositories.</summary>
public sealed class ReleaseVersionTests : IDisposable
{
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(1));

    private CancellationToken Ct => timeout.Token;

    public void Dispose() => timeout.Dispose();

    [Fact]
    public async Task Without_a_tag_the_version_is_an_alpha_of_0_0_0()
    {
        // Given three untagged commits
        using var repo = await ThrowawayRepository.CreateAsync(Ct);
        await repo.CommitAsync(Ct);
        await repo.CommitAsync(Ct);
        var head = await repo.CommitAsync(Ct);

        // When the version is read
        var version = await ReleaseVersion.ReadAsync(repo.Path, Ct);

        // Then it counts the commits since the root, and the revision is HEAD
        Assert.Equal("0.0.0-alpha.0.2", version.Version.ToString());
        Assert.Equal(head, version.Revision);
        Assert.Null(version.Tag);
    }

    [Fact]
    public async Task A_tag_on_HEAD_is_the_version()
    {
        // Given HEAD carries the annotated tag v1.2.3
        using var repo = await ThrowawayRepository.CreateAsync(Ct);
        await repo.CommitAsync(Ct);
        await repo.GitAsync(Ct, "tag", "-a", "v1.2.3", "-m", "Release 1.2.3");

        // When the version is read
        var version = await ReleaseVersion.ReadAsync(repo.Path, Ct);

        // Then it is exactly the tag's
        Assert.Equal("1.2.3", version.Version.ToString());
        Assert.False(version.IsPreRelease);
        Assert.Equal(("v1.2.3", 0), (version.Tag, version.Height));
    }

    [Fact]
    public async Task Commits_after_a_release_tag_make_an_alpha_of_the_next_patch()
    {
        // Given v1.2.3 (annotated) followed by two commits
        using var repo = await ThrowawayRepository.CreateAsync(Ct);
        await repo.CommitAsync(Ct);
        await repo.GitAsync(Ct, "tag", "-a", "v1.2.3", "-m", "Release 1.2.3");
        await repo.CommitAsync(Ct);
        await repo.CommitAsync(Ct);

        // When the version is read
        var version = await ReleaseVersion.ReadAsync(repo.Path, Ct);

        // Then it is the next patch's alpha, with the height last
        Assert.Equal("1.2.4-alpha.0.2", version.Version.ToString());
        Assert.True(version.IsPreRelease);
    }

    [Fact]
    public async Task Commits_after_a_pre_release_tag_extend_its_label()
    {
        // Given the lightweight tag v2.0.0-rc.1 followed by three commits
        using var repo = await ThrowawayRepository.CreateAsync(Ct);
        await repo.CommitAsync(Ct);
        await repo.GitAsync(Ct, "tag", "v2.0.0-rc.1");
        await repo.CommitAsync(Ct);
        await repo.CommitAsync(Ct);
        await repo.CommitAsync(Ct);

        // When the version is read
        var version = await ReleaseVersion.ReadAsync(repo.Path, Ct);

        // Then the height is appended to the pre-release label
        Assert.Equal("2.0.0-rc.1.3", version.Version.ToString());
    }

    [Fact]
    public async Task A_repository_without_commits_is_refused_clearly()
    {
        // Given a repository with nothing committed
        using var repo = await ThrowawayRepository.CreateAsync(Ct);

        // When the version is read
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReleaseVersion.ReadAsync(repo.Path, Ct));

        // Then the message says why
        Assert.Contains("no commit", error.Message, StringComparison.Ordinal);
    }
}
