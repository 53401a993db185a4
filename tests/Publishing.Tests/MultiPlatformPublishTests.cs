using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// ./build.sh Publish to a real registry on 127.0.0.1, read back over the registry's API, then the
/// arm64 image pulled back and run under emulation. One PostgreSQL version (15): the arm64 side is
/// slow, and what it shows (the index, an arm64 image that replicates) does not vary by version.
/// Here the arm64 base is the offline one, bootstrapped under qemu (.ci/run builds it beforehand);
/// where a registry is reachable it is the official postgres:15 for arm64. Either way arm64
/// binaries must run on this machine: qemu-user-static with binfmt_misc.
/// </summary>
[Trait("Category", "MultiPlatform")]
public sealed class MultiPlatformPublishTests(PublishingFixture fixture, ITestOutputHelper output)
    : IClassFixture<PublishingFixture>
{
    private const int PgVersion = 15;

    // Covers bootstrapping the arm64 base when nothing built it yet (about 15 minutes) and the slow cycle under qemu.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(40);

    [Fact]
    public async Task Publish_pushes_one_index_of_amd64_and_arm64_per_tag_and_the_arm64_image_replicates()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var ct = timeout.Token;
        var repository = $"multiplatform/postgres-replication-{Guid.NewGuid():N}";
        var target = new RegistryDestination
        {
            Registry = fixture.Registry.Address,
            Repository = repository,
            Username = PublishingFixture.Username,
            Password = PublishingFixture.Password,
        };
        IReadOnlyList<string> tags = [];
        try
        {
            // Given a registry on 127.0.0.1
            // When ./build.sh Publish pushes PostgreSQL 15 for both platforms (the default)
            var (exitCode, log) = await BuildScript.RunAsync(
                ["Publish", "--pg-version", $"{PgVersion}", "--registry", target.Registry, "--repository", repository,
                    "--registry-username", PublishingFixture.Username],
                new Dictionary<string, string> { ["REGISTRY_PASSWORD"] = PublishingFixture.Password },
                output.WriteLine,
                ct);
            Assert.True(exitCode == 0, $"./build.sh Publish exited with {exitCode}");
            Assert.DoesNotContain(PublishingFixture.Password, log, StringComparison.Ordinal);

            // Then every tag is one index naming linux/amd64 and linux/arm64, the same index for all
            tags = await fixture.Registry.TagsAsync(repository, ct);
            Assert.Contains(tags, t => t.StartsWith($"{PgVersion}-", StringComparison.Ordinal));
            var digests = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                var manifest = await fixture.Registry.ManifestAsync(repository, tag, ct)
                    ?? throw new Xunit.Sdk.XunitException($"tag {tag} is listed but has no manifest");
                output.WriteLine($"{tag}: {manifest.MediaType} {manifest.Digest} [{string.Join(", ", manifest.Platforms())}]");
                Assert.Contains(manifest.MediaType, (string[])[ManifestList.DockerListMediaType, ManifestList.OciIndexMediaType]);
                Assert.Equal(["linux/amd64", "linux/arm64"], manifest.Platforms());
                digests.Add(manifest.Digest);
            }

            Assert.Single(digests);

            // When the arm64 image is pulled back from the registry
            var pulled = target.ImageReference(tags[0]);
            await RemoveLocalImageAsync(pulled);
            await PullAsync(target, tags[0], "linux/arm64", ct);

            // Then it is an arm64 image with the release's OCI labels
            var inspected = await fixture.Docker.Images.InspectImageAsync(pulled, ct);
            Assert.Equal("arm64", inspected.Architecture);
            var labels = inspected.Config?.Labels ?? new Dictionary<string, string>();
            foreach (var label in (string[])["version", "revision", "created", "source"])
            {
                Assert.True(labels.TryGetValue($"org.opencontainers.image.{label}", out var value) && value.Length > 0,
                    $"the arm64 image has no org.opencontainers.image.{label}");
            }

            // And a primary and a standby of it replicate a row under emulation
            await ReplicateUnderEmulationAsync(pulled, ct);
        }
        finally
        {
            await RemoveLocalImageAsync(target.ImageReference(tags.FirstOrDefault() ?? "none"));
            await fixture.RemoveLocalTagsAsync(target, tags);
            await RemoveDigestReferencesAsync(target.RepositoryReference);
        }
    }

    private async Task ReplicateUnderEmulationAsync(string image, CancellationToken ct)
    {
        using var engine = await DockerEngine.ConnectAsync(ct);
        // Every step is several times slower under qemu: initdb alone takes about 30 s, and a
        // connection's first queries several seconds.
        var options = new ClusterOptions
        {
            Image = image,
            WaitTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromMinutes(1),
        };
        await using var cluster = await ReplicationCluster.CreateAsync(engine, options, output.WriteLine, ct);
        try
        {
            var machine = await OneOffContainer.RunAsync(cluster, ["uname", "-m"], [], ct);
            Assert.Equal("aarch64", machine.Output.Trim());

            var primary = await cluster.AddPrimaryAsync(ct);
            var standby = await cluster.AddStandbyAsync("standby-1", primary, ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());

            await primary.ExecuteAsync("CREATE TABLE multiplatform (id int PRIMARY KEY); INSERT INTO multiplatform VALUES (1);", ct);
            await Probes.WaitForReplayAsync(standby, await primary.CurrentWalLsnAsync(ct), ct);

            Assert.Equal(1L, await standby.ScalarAsync<long>("SELECT count(*) FROM multiplatform", ct));
            // The servers that replicated are the arm64 build, not an amd64 one beside it.
            foreach (var node in (PostgresNode[])[primary, standby])
            {
                Assert.Contains("aarch64", await node.ScalarAsync<string>("SELECT version()", ct), StringComparison.Ordinal);
            }
        }
        catch
        {
            output.WriteLine(await cluster.DumpLogsAsync(40, CancellationToken.None));
            throw;
        }
    }

    private async Task PullAsync(RegistryDestination target, string tag, string platform, CancellationToken ct)
    {
        var errors = new List<string>();
        await fixture.Docker.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = target.RepositoryReference, Tag = tag, Platform = platform },
            new AuthConfig { Username = target.Username, Password = target.Password, ServerAddress = target.ServerAddress },
            new Progress<JSONMessage>(m =>
            {
                if (m.Error?.Message is { Length: > 0 } error)
                {
                    errors.Add(error);
                }
            }),
            ct);
        Assert.Empty(errors);
    }

    /// <summary>
    /// A push or pull also names the image by the registry's digest (REPOSITORY@sha256:...); those
    /// names would keep an image that lost its tags. The image itself stays while a tag names it.
    /// </summary>
    private async Task RemoveDigestReferencesAsync(string repository)
    {
        var images = await fixture.Docker.Images.ListImagesAsync(new ImagesListParameters(), CancellationToken.None);
        foreach (var reference in images.SelectMany(i => i.RepoDigests ?? []).Where(d => d.StartsWith(repository + "@", StringComparison.Ordinal)))
        {
            await RemoveLocalImageAsync(reference);
        }
    }

    private async Task RemoveLocalImageAsync(string reference)
    {
        try
        {
            await fixture.Docker.Images.DeleteImageAsync(reference, new ImageDeleteParameters(), CancellationToken.None);
        }
        catch (DockerImageNotFoundException)
        {
            // Not there: nothing to remove.
        }
    }
}
