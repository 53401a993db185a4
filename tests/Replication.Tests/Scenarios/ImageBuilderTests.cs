using Docker.DotNet.Models;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>BuildImage builds only when what the image is made from changed, decided from content.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class ImageBuilderTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public async Task Unchanged_context_and_base_build_nothing_and_a_changed_file_builds()
    {
        using var context = new HostFolder()
            .Write("Dockerfile", "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY note.txt /note.txt\n")
            .Write("note.txt", "first\n");
        var tag = $"pgrepl-build-test-{RunId.New()}:1";
        var request = new ImageBuildRequest(context.Path, [tag])
        {
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = image.Image, ["CREATED"] = "2026-12-01T00:00:00Z" },
            UntrackedBuildArgs = ["CREATED"],
        };
        var builder = new ImageBuilder(image.Engine);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        try
        {
            // Given an image built from a context
            Assert.True(await builder.BuildUnlessUpToDateAsync(request, output.WriteLine, ct));

            // Then building again, with another build time and the files' times changed, builds nothing
            File.SetLastWriteTimeUtc(Path.Combine(context.Path, "note.txt"), DateTime.UtcNow.AddHours(1));
            var later = request with
            {
                BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = image.Image, ["CREATED"] = "2026-12-02T00:00:00Z" },
            };
            Assert.False(await builder.BuildUnlessUpToDateAsync(later, output.WriteLine, ct));

            // When a file's content changes, Then it builds, once
            context.Write("note.txt", "second\n");
            Assert.True(await builder.BuildUnlessUpToDateAsync(later, output.WriteLine, ct));
            Assert.False(await builder.BuildUnlessUpToDateAsync(later, output.WriteLine, ct));
        }
        finally
        {
            await image.Engine.Client.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = true }, CancellationToken.None);
        }
    }
}
