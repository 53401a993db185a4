using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace PostgresReplication.Publishing.Tests;

/// <summary>Real pushes through the engine to a local registry with basic auth.</summary>
public sealed class ImagePublisherTests(PublishingFixture fixture, ITestOutputHelper output)
    : IClassFixture<PublishingFixture>, IDisposable
{
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(2));
    private readonly List<string> log = [];

    private CancellationToken Ct => timeout.Token;

    public void Dispose() => timeout.Dispose();

    [Fact]
    public async Task A_release_is_pushed_under_every_tag_with_one_digest()
    {
        // Given release 1.2.3 of PostgreSQL 18.6, the default major
        var target = Target("pushed/postgres-replication", PublishingFixture.Password);
        var tags = ImageTags.For(18, "18.6", SemanticVersion.Parse("1.2.3"), defaultMajor: 18);
        try
        {
            // When it is published
            var published = await Publisher().PublishAsync(fixture.Image.Id, tags, target, Ct);

            // Then the registry lists exactly those tags, all on the digest the push reported
            string[] expected = ["18", "18-1.2.3", "18.6-1.2.3", "latest"];
            Assert.Equal(expected.Order(StringComparer.Ordinal), await fixture.Registry.TagsAsync(target.Repository!, Ct));
            var digests = new List<string?>();
            foreach (var tag in expected)
            {
                digests.Add(await fixture.Registry.DigestAsync(target.Repository!, tag, Ct));
            }

            Assert.Single(digests.Distinct());
            Assert.Equal(published.Select(p => p.Digest).Distinct(), digests.Distinct());
            Assert.StartsWith("sha256:", digests[0], StringComparison.Ordinal);
            Assert.Contains($"pushed {target.ImageReference("18-1.2.3")} ({digests[0]})", log);
            Assert.DoesNotContain(log, line => line.Contains(PublishingFixture.Password, StringComparison.Ordinal));
        }
        finally
        {
            await fixture.RemoveLocalTagsAsync(target, tags);
        }
    }

    [Fact]
    public async Task Images_of_two_platforms_are_pushed_as_one_index_under_every_tag()
    {
        // Given an amd64 and an arm64 image of release 1.2.3 of PostgreSQL 18.6
        await using var arm64 = await TinyImage.BuildAsync(fixture.Docker, "linux/arm64", Ct);
        var target = Target("index/postgres-replication", PublishingFixture.Password);
        var tags = ImageTags.For(18, "18.6", SemanticVersion.Parse("1.2.3"), defaultMajor: 18);
        try
        {
            // When both are published
            var published = await Publisher().PublishAsync([fixture.Image.Id, arm64.Id], tags, target, Ct);

            // Then the registry has exactly the tags, each one index of both platforms, all the same
            Assert.Equal(tags.Order(StringComparer.Ordinal), await fixture.Registry.TagsAsync(target.Repository!, Ct));
            var digests = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                var manifest = await fixture.Registry.ManifestAsync(target.Repository!, tag, Ct);
                Assert.NotNull(manifest);
                Assert.Equal(ManifestList.DockerListMediaType, manifest.MediaType);
                Assert.Equal(["linux/amd64", "linux/arm64"], manifest.Platforms());
                digests.Add(manifest.Digest);
            }

            Assert.Equal(published.Select(p => p.Digest).Distinct(), digests.Order(StringComparer.Ordinal));
            Assert.Contains(log, line => line.StartsWith($"pushed {target.ImageReference("latest")} (index of linux/amd64, linux/arm64, sha256:", StringComparison.Ordinal));
            Assert.DoesNotContain(log, line => line.Contains(PublishingFixture.Password, StringComparison.Ordinal));
        }
        finally
        {
            await fixture.RemoveLocalTagsAsync(target, tags);
        }
    }

    [Fact]
    public async Task A_wrong_password_fails_clearly_before_anything_is_tagged_or_pushed()
    {
        // Given a wrong password
        const string wrong = "wrong-password-7f3a";
        var target = Target("refused/postgres-replication", wrong);
        var tags = ImageTags.For(18, "18.6", SemanticVersion.Parse("1.2.3"), defaultMajor: 18);
        try
        {
            // When publishing
            var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(
                () => Publisher().PublishAsync(fixture.Image.Id, tags, target, Ct));

            // Then the message names the registry and what to check, never the password
            output.WriteLine(error.Message);
            AssertClearAuthMessage(error, wrong);

            // And the registry holds nothing for that repository, nor the engine any new tag
            Assert.Empty(await fixture.Registry.TagsAsync(target.Repository!, Ct));
            await Assert.ThrowsAsync<DockerImageNotFoundException>(
                () => fixture.Docker.Images.InspectImageAsync(target.ImageReference("18"), Ct));
        }
        finally
        {
            await fixture.RemoveLocalTagsAsync(target, tags);
        }
    }

    [Fact]
    public async Task A_refusal_reported_on_the_push_stream_fails_clearly_too()
    {
        // Given a tag already made locally, pushed with a wrong password without logging in first
        const string wrong = "another-wrong-password-91c2";
        var target = Target("refused-on-stream/postgres-replication", wrong);
        await fixture.Docker.Images.TagImageAsync(
            fixture.Image.Id, new ImageTagParameters { RepositoryName = target.RepositoryReference, Tag = "18" }, Ct);
        try
        {
            // When the push runs
            var auth = new AuthConfig { Username = target.Username, Password = wrong, ServerAddress = target.ServerAddress };
            var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(
                () => Publisher().PushAsync(target, auth, "18", Ct));

            // Then the same clear message, and the registry has no tag
            output.WriteLine(error.Message);
            AssertClearAuthMessage(error, wrong);
            Assert.Empty(await fixture.Registry.TagsAsync(target.Repository!, Ct));
        }
        finally
        {
            await fixture.RemoveLocalTagsAsync(target, ["18"]);
        }
    }

    [Fact]
    public async Task Missing_settings_are_refused_before_the_engine_is_called()
    {
        // Given no repository and no password, and a client that could not reach any engine
        using var unreachable = new DockerClientBuilder().WithEndpoint(new Uri("unix:///nonexistent/docker.sock")).Build();
        var publisher = new ImagePublisher(unreachable, log.Add);
        var target = new RegistryDestination { Registry = fixture.Registry.Address, Username = "someone" };

        // When publishing
        var error = await Assert.ThrowsAsync<RegistrySettingsMissingException>(
            () => publisher.PublishAsync("any-image", ["18"], target, Ct));

        // Then both missing settings are named, and nothing was attempted
        Assert.Contains("--repository", error.Message, StringComparison.Ordinal);
        Assert.Contains("--registry-password", error.Message, StringComparison.Ordinal);
        Assert.Empty(log);
    }

    // The log goes to the test output too, so a failing run shows what the user would have seen.
    private ImagePublisher Publisher() => new(fixture.Docker, Report);

    private void Report(string line)
    {
        log.Add(line);
        output.WriteLine(line);
    }

    private RegistryDestination Target(string repository, string password) =>
        new()
        {
            Registry = fixture.Registry.Address,
            Repository = $"{repository}-{Guid.NewGuid():N}",
            Username = PublishingFixture.Username,
            Password = password,
        };

    private void AssertClearAuthMessage(RegistryAuthenticationException error, string password)
    {
        Assert.Contains(fixture.Registry.Address, error.Message, StringComparison.Ordinal);
        Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        foreach (var name in (string[])["--registry-username", "--registry-password", "REGISTRY_USERNAME",
                     "REGISTRY_PASSWORD", "DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN"])
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log, line => line.Contains(password, StringComparison.Ordinal));
    }
}
