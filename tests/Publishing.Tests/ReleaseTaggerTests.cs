namespace PostgresReplication.Publishing.Tests;

/// <summary>Release tags in throwaway repositories, with a local bare repository as the remote.</summary>
public sealed class ReleaseTaggerTests : IDisposable
{
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(1));
    private readonly List<string> log = [];

    private CancellationToken Ct => timeout.Token;

    public void Dispose() => timeout.Dispose();

    [Fact]
    public async Task Creates_an_annotated_tag_with_the_release_message_on_HEAD()
    {
        // Given a clean repository
        using var repo = await CleanRepositoryAsync();
        var head = await repo.HeadAsync(Ct);

        // When release 1.2.3 is tagged
        var tag = await Tagger(repo).CreateAsync("1.2.3", push: false, ct: Ct);

        // Then v1.2.3 is an annotated tag on HEAD saying "Release 1.2.3", not pushed
        Assert.Equal(new ReleaseTag("v1.2.3", SemanticVersion.Parse("1.2.3"), head, null), tag);
        Assert.Equal("tag", (await repo.GitAsync(Ct, "cat-file", "-t", "v1.2.3")).Trim());
        Assert.Equal("Release 1.2.3", (await repo.GitAsync(Ct, "tag", "--list", "--format=%(contents)", "v1.2.3")).Trim());
        Assert.Equal(head, (await repo.GitAsync(Ct, "rev-parse", "v1.2.3^{commit}")).Trim());
    }

    [Fact]
    public async Task A_dirty_tree_is_refused_and_its_changes_listed()
    {
        // Given a repository with a modified file and an untracked one
        using var repo = await CleanRepositoryAsync();
        await File.WriteAllTextAsync(Path.Combine(repo.Path, "file.txt"), "edited\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(repo.Path, "notes.txt"), "draft\n", Ct);

        // When a release is tagged
        var error = await Assert.ThrowsAsync<ReleaseRefusedException>(
            () => Tagger(repo).CreateAsync("1.2.3", push: false, ct: Ct));

        // Then it is refused on one line naming the paths, and no tag exists
        Assert.Contains("file.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("notes.txt", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(await repo.TagsAsync(Ct));
    }

    [Fact]
    public async Task An_existing_tag_is_refused_and_left_as_it_was()
    {
        // Given v1.2.3 already exists as a lightweight tag
        using var repo = await CleanRepositoryAsync();
        await repo.GitAsync(Ct, "tag", "v1.2.3");

        // When release 1.2.3 is tagged again
        var error = await Assert.ThrowsAsync<ReleaseRefusedException>(
            () => Tagger(repo).CreateAsync("1.2.3", push: false, ct: Ct));

        // Then it is refused and the old tag is untouched (still lightweight)
        Assert.Contains("v1.2.3 already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(["v1.2.3"], await repo.TagsAsync(Ct));
        Assert.Equal("commit", (await repo.GitAsync(Ct, "cat-file", "-t", "v1.2.3")).Trim());
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("v1.2.3")]
    [InlineData("1.2.3.4")]
    [InlineData("latest")]
    [InlineData("")]
    public async Task A_version_that_is_not_SemVer_is_refused_with_an_example(string version)
    {
        // Given a clean repository
        using var repo = await CleanRepositoryAsync();

        // When a release is tagged with a malformed version
        var error = await Assert.ThrowsAsync<ReleaseRefusedException>(
            () => Tagger(repo).CreateAsync(version, push: false, ct: Ct));

        // Then the message shows a valid example, and no tag exists
        Assert.Contains("e.g. 1.2.3", error.Message, StringComparison.Ordinal);
        Assert.Empty(await repo.TagsAsync(Ct));
    }

    [Fact]
    public async Task The_tag_reaches_the_remote_only_when_push_is_asked_for()
    {
        // Given a clean repository whose origin is a local bare repository
        using var remote = await ThrowawayRepository.CreateAsync(Ct, bare: true);
        using var repo = await CleanRepositoryAsync();
        await repo.GitAsync(Ct, "remote", "add", "origin", remote.Path);

        // When 1.0.0 is tagged without push, then 1.0.1 with push
        await repo.CommitAsync(Ct);
        var local = await Tagger(repo).CreateAsync("1.0.0", push: false, ct: Ct);
        await repo.CommitAsync(Ct);
        var pushed = await Tagger(repo).CreateAsync("1.0.1", push: true, ct: Ct);

        // Then only v1.0.1 is on the remote, as the same annotated tag
        Assert.Null(local.Remote);
        Assert.Equal("origin", pushed.Remote);
        Assert.Equal(["v1.0.1"], await remote.TagsAsync(Ct));
        Assert.Equal("tag", (await remote.GitAsync(Ct, "cat-file", "-t", "v1.0.1")).Trim());
        Assert.Contains(log, line => line.Contains("pushed tag v1.0.1 to origin", StringComparison.Ordinal));
    }

    private ReleaseTagger Tagger(ThrowawayRepository repo) => new(repo.Path, log.Add);

    private async Task<ThrowawayRepository> CleanRepositoryAsync()
    {
        var repo = await ThrowawayRepository.CreateAsync(Ct);
        await repo.CommitAsync(Ct);
        return repo;
    }
}
