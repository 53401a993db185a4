using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// A one-file image imported through the Engine API (like <c>docker import</c>): a push test
/// needs an image, not PostgreSQL, and a few hundred bytes push in milliseconds.
/// Removed, with every tag still pointing at it, on dispose.
/// </summary>
public sealed class TinyImage : IAsyncDisposable
{
    private readonly IDockerClient docker;

    private TinyImage(IDockerClient docker, string name, string id)
    {
        this.docker = docker;
        Name = name;
        Id = id;
    }

    public string Name { get; }

    public string Id { get; }

    public static async Task<TinyImage> CreateAsync(IDockerClient docker, CancellationToken ct)
    {
        var repository = $"publishing-tests-{Guid.NewGuid():N}";
        using var archive = new MemoryStream();
        await using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes($"made by {repository}\n")),
            };
            await writer.WriteEntryAsync(entry, ct);
        }

        archive.Position = 0;
        await docker.Images.CreateImageAsync(
            new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = "source" },
            archive,
            new AuthConfig(),
            new Progress<JSONMessage>(),
            ct);
        var name = $"{repository}:source";
        var image = await docker.Images.InspectImageAsync(name, ct);
        return new TinyImage(docker, name, image.ID);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Forced by id: also drops any tag a failed test left on the image.
            await docker.Images.DeleteImageAsync(Id, new ImageDeleteParameters { Force = true }, CancellationToken.None);
        }
        catch (DockerImageNotFoundException)
        {
            // Already gone.
        }
    }
}
