using Docker.DotNet.Models;
using Docker.DotNet;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Figure 4: the bytes our layers add to the base. Exact, so read once. The base is checked to be
/// the image's base (its layers a prefix of the image's), so the difference is only ours.
/// </summary>
internal sealed class ImageSizeBenchmark(BenchmarkContext context)
{
    public async Task<ImageSizeResult> RunAsync(CancellationToken ct)
    {
        var image = await InspectAsync(context.Options.ImageName, ct)
            ?? throw new BenchmarkException($"{context.Options.ImageName} is not present locally; build the image first.");
        var candidates = context.Options.BaseImage is { } named
            ? [named]
            : new[] { OfflineBaseLayout.TagFor(context.Options.PgMajor), BaseImageProvider.DefaultBaseImage(context.Options.PgMajor) };
        foreach (var candidate in candidates)
        {
            if (await InspectAsync(candidate, ct) is { } baseImage && AddedLayers(baseImage, image) is { } added)
            {
                var result = new ImageSizeResult(context.Options.ImageName, candidate, image.Size, baseImage.Size, added);
                context.Log($"image: {result.Image} adds {result.LayerBytes:N0} B in {result.AddedLayers} layer(s) to {result.BaseImage}");
                return result;
            }
        }

        throw new BenchmarkException(
            $"None of {string.Join(", ", candidates)} is the base of {context.Options.ImageName} " +
            "(its layers are not a prefix of the image's); name the base image in the options.");
    }

    private async Task<ImageInspectResponse?> InspectAsync(string image, CancellationToken ct)
    {
        try
        {
            return await context.Engine.Client.Images.InspectImageAsync(image, ct);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>How many layers the image has on top of the base; null when it is not built on it.</summary>
    private static int? AddedLayers(ImageInspectResponse baseImage, ImageInspectResponse image) =>
        baseImage.RootFS?.Layers is { Count: > 0 } baseLayers
        && image.RootFS?.Layers is { } layers
        && layers.Count >= baseLayers.Count
        && baseLayers.SequenceEqual(layers.Take(baseLayers.Count))
            ? layers.Count - baseLayers.Count
            : null;
}

/// <summary>The replication image against the image it was built on, as the engine reports their sizes.</summary>
public sealed record ImageSizeResult(string Image, string BaseImage, long ImageBytes, long BaseImageBytes, int AddedLayers)
{
    /// <summary>What our layers add: image size minus base image size.</summary>
    public long LayerBytes => ImageBytes - BaseImageBytes;
}
