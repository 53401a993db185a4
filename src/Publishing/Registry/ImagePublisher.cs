using Docker.DotNet;
using Docker.DotNet.Models;

namespace PostgresReplication.Publishing;

/// <summary>
/// Tags a local image for a registry and pushes every tag through the Engine API. It logs in
/// first so refused credentials stop the run before any tag leaves the machine, and it stops
/// at the first failure. The password is only ever handed to the engine.
/// </summary>
public sealed class ImagePublisher(IDockerClient docker, Action<string> report)
{
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
