using Docker.DotNet;
using Docker.DotNet.Models;

namespace PostgresReplication.Publishing;

/// <summary>
/// Tags a local image for a registry and pushes every tag through the Engine API. It logs in
/// first so refused credentials stop the run before any tag leaves the machine, and it stops
/// at the first failure. The password is only ever handed to the engine, and, for a
/// multi-platform index, to the registry's API in a request header.
/// </summary>
/// <param name="registryHandler">How the registry's API is reached; null for the network (tests pass a fake).</param>
public sealed class ImagePublisher(IDockerClient docker, Action<string> report, HttpMessageHandler? registryHandler = null)
{
    /// <summary>
    /// Publishes one image per platform under every tag. One image is pushed as it is. Several are
    /// pushed by the engine, one after another, under the first tag (the engine cannot push a
    /// manifest without a tag, and this way no extra tag is left in the registry); then one index
    /// naming them all is put under every tag, which replaces what the first tag held meanwhile.
    /// </summary>
    /// <param name="localImages">One local image per platform, by id or name.</param>
    public async Task<IReadOnlyList<PublishedTag>> PublishAsync(
        IReadOnlyList<string> localImages, IReadOnlyList<string> tags, RegistryDestination target, CancellationToken ct)
    {
        if (localImages.Count == 1)
        {
            return await PublishAsync(localImages[0], tags, target, ct);
        }

        target.EnsureComplete();
        if (localImages.Count == 0 || tags.Count == 0)
        {
            throw new ArgumentException("Publishing an index needs images and tags.", localImages.Count == 0 ? nameof(localImages) : nameof(tags));
        }

        var platforms = new List<(string Image, string Os, string Architecture, string? Variant)>();
        foreach (var image in localImages)
        {
            await EnsureImageExistsAsync(image, ct);
            var inspected = await docker.Images.InspectImageAsync(image, ct);
            platforms.Add((image, inspected.Os, inspected.Architecture, inspected.Variant));
        }

        var auth = new AuthConfig { Username = target.Username, Password = target.Password, ServerAddress = target.ServerAddress };
        await LogInAsync(target, auth, ct);
        using var registry = new RegistryApi(target, registryHandler);
        var manifests = new List<PlatformManifest>();
        foreach (var (image, os, architecture, variant) in platforms)
        {
            report($"pushing the {os}/{architecture} image {image}, for the index");
            await TagAsync(image, target, tags[0], ct);
            var pushed = await PushAsync(target, auth, tags[0], ct);
            var (mediaType, size) = await registry.DescribeManifestAsync(pushed.Digest, ct);
            manifests.Add(new PlatformManifest(mediaType, size, pushed.Digest, os, architecture, variant));
        }

        var index = ManifestList.Serialize(manifests);
        var indexType = ManifestList.MediaTypeFor(manifests);
        var names = string.Join(", ", manifests.Select(m => m.Platform));
        var published = new List<PublishedTag>();
        foreach (var tag in tags)
        {
            var digest = await registry.PutManifestAsync(tag, indexType, index, ct);
            var reference = target.ImageReference(tag);
            report($"pushed {reference} (index of {names}, {digest})");
            published.Add(new PublishedTag(tag, reference, digest));
        }

        return published;
    }

    /// <param name="localImage">The image to publish, by id or name.</param>
    /// <param name="tags">The tags to push, e.g. from <see cref="ImageTags.For"/>.</param>
    public async Task<IReadOnlyList<PublishedTag>> PublishAsync(
        string localImage, IReadOnlyList<string> tags, RegistryDestination target, CancellationToken ct)
    {
        target.EnsureComplete();
        if (tags.Count == 0)
        {
            throw new ArgumentException("No tags to publish.", nameof(tags));
        }

        await EnsureImageExistsAsync(localImage, ct);
        var auth = new AuthConfig { Username = target.Username, Password = target.Password, ServerAddress = target.ServerAddress };
        await LogInAsync(target, auth, ct);

        var published = new List<PublishedTag>();
        foreach (var tag in tags)
        {
            await TagAsync(localImage, target, tag, ct);
            published.Add(await PushAsync(target, auth, tag, ct));
        }

        return published;
    }

    private async Task EnsureImageExistsAsync(string localImage, CancellationToken ct)
    {
        try
        {
            await docker.Images.InspectImageAsync(localImage, ct);
        }
        catch (DockerImageNotFoundException e)
        {
            throw new InvalidOperationException($"Local image '{localImage}' does not exist; build it first.", e);
        }
    }

    private async Task LogInAsync(RegistryDestination target, AuthConfig auth, CancellationToken ct)
    {
        report($"logging in to {target.Registry} as {target.Username}");
        try
        {
            await docker.System.AuthenticateAsync(auth, ct);
        }
        catch (DockerApiException e) when (AuthFailure.Is(e))
        {
            throw new RegistryAuthenticationException(
                target.Registry, target.Username, AuthFailure.Detail(e.ResponseBody, target.Password));
        }
        catch (DockerApiException e)
        {
            throw new InvalidOperationException(
                $"Logging in to {target.Registry} failed: {AuthFailure.Detail(e.ResponseBody, target.Password)}", e);
        }
    }

    private async Task TagAsync(string localImage, RegistryDestination target, string tag, CancellationToken ct)
    {
        var parameters = new ImageTagParameters { RepositoryName = target.RepositoryReference, Tag = tag };
        await docker.Images.TagImageAsync(localImage, parameters, ct);
    }

    /// <summary>Pushes one tag that already exists locally; internal so tests can reach the push stream's checks.</summary>
    internal async Task<PublishedTag> PushAsync(RegistryDestination target, AuthConfig auth, string tag, CancellationToken ct)
    {
        var reference = target.ImageReference(tag);
        report($"pushing {reference}");
        var stream = new PushStream(tag, report);
        try
        {
            await docker.Images.PushImageAsync(target.RepositoryReference, new ImagePushParameters { Tag = tag }, auth, stream, ct);
        }
        catch (DockerApiException e) when (AuthFailure.Is(e))
        {
            throw new RegistryAuthenticationException(
                target.Registry, target.Username, AuthFailure.Detail(e.ResponseBody, target.Password));
        }
        catch (DockerApiException e)
        {
            throw new InvalidOperationException($"Pushing {reference} failed: {AuthFailure.Detail(e.ResponseBody, target.Password)}", e);
        }

        if (stream.Error is { } error)
        {
            var detail = AuthFailure.Detail(error, target.Password);
            throw AuthFailure.Is(error)
                ? new RegistryAuthenticationException(target.Registry, target.Username, detail)
                : new InvalidOperationException($"Pushing {reference} failed: {detail}");
        }

        var digest = stream.Digest
            ?? throw new InvalidOperationException($"Pushing {reference} ended without the registry reporting a digest.");
        report($"pushed {reference} ({digest})");
        return new PublishedTag(tag, reference, digest);
    }
}
