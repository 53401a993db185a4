using Docker.DotNet;

namespace PostgresReplication;

/// <summary>Questions about local images: is it here, and where does it keep its data.</summary>
public sealed class ImageInspector(DockerEngine engine)
{
    public async Task<bool> ExistsAsync(string image, CancellationToken ct)
    {
        try
        {
            await engine.Client.Images.InspectImageAsync(image, ct);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The image's id, or null when there is no such image.</summary>
    public async Task<string?> IdAsync(string image, CancellationToken ct) =>
        (await InspectOrNullAsync(image, ct))?.ID;

    /// <summary>The CPU architecture recorded in the image's config (amd64, arm64), or null when there is no such image.</summary>
    public async Task<string?> ArchitectureAsync(string image, CancellationToken ct) =>
        (await InspectOrNullAsync(image, ct))?.Architecture;

    /// <summary>The value of one label of a local image, or null when the image or the label is missing.</summary>
    public async Task<string?> LabelAsync(string image, string label, CancellationToken ct)
    {
        try
        {
            var inspected = await engine.Client.Images.InspectImageAsync(image, ct);
            return inspected.Config?.Labels?.TryGetValue(label, out var value) == true ? value : null;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    private async Task<Docker.DotNet.Models.ImageInspectResponse?> InspectOrNullAsync(string image, CancellationToken ct)
    {
        try
        {
            return await engine.Client.Images.InspectImageAsync(image, ct);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    public async Task<ImageLayout> LayoutAsync(string image, CancellationToken ct)
    {
        try
        {
            var inspected = await engine.Client.Images.InspectImageAsync(image, ct);
            var config = inspected.Config;
            var volumes = config?.Volumes?.Keys.Order(StringComparer.Ordinal).ToList() ?? [];
            var pgdata = config?.Env?
                .Where(e => e.StartsWith("PGDATA=", StringComparison.Ordinal))
                .Select(e => e["PGDATA=".Length..])
                .LastOrDefault();
            return new ImageLayout(image, volumes, pgdata);
        }
        catch (DockerImageNotFoundException)
        {
            throw new InvalidOperationException($"Image {image} is not present locally; build it first.");
        }
    }
}
