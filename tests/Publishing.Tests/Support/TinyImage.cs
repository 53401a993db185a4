using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// A one-file image imported through the Engine API (like <c>docker import</c>), or built
/// <c>FROM scratch</c> for another platform: a push test needs an image, not PostgreSQL, and a few
/// hundred bytes push in milliseconds.
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

    /// <summary>
    /// The same file built for <paramref name="platform"/> (e.g. linux/arm64): the engine records
    /// the platform in the image, as import does not. Nothing runs, so no emulation is needed.
    /// </summary>
    public static async Task<TinyImage> BuildAsync(IDockerClient docker, string platform, CancellationToken ct)
    {
        var repository = $"publishing-tests-{Guid.NewGuid():N}";
        using var context = new MemoryStream();
        await using (var writer = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (file, text) in (ValueTuple<string, string>[])
                     [("Dockerfile", "FROM scratch\nADD hello.txt /\n"), ("hello.txt", $"made by {repository} for {platform}\n")])
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, file) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
                await writer.WriteEntryAsync(entry, ct);
            }
        }

        context.Position = 0;
        var errors = new List<string>();
        await docker.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Tags = [$"{repository}:source"], Platform = platform, Remove = true, ForceRemove = true },
            context,
            authConfigs: null,
            headers: null,
            new Progress<JSONMessage>(m =>
            {
                if (m.Error?.Message is { Length: > 0 } error)
                {
                    errors.Add(error);
                }
            }),
            ct);
        var name = $"{repository}:source";
        var image = errors.Count == 0
            ? await docker.Images.InspectImageAsync(name, ct)
            : throw new InvalidOperationException($"Building {name} for {platform} failed: {string.Join("; ", errors)}");
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
