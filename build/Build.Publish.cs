using System.Text.RegularExpressions;
using BuildRunner;
using PostgresReplication.Publishing;

/// <summary>Pushes the tested image to a registry, and tags releases in git.</summary>
sealed partial class Build
{
    [Parameter("Registry to push to (default Docker Hub), e.g. ghcr.io or 127.0.0.1:5000")]
    readonly string Registry = RegistryDestination.DockerHub;

    [Parameter("Repository to push to, e.g. someone/postgres-replication")]
    readonly string? Repository;

    [Parameter("Registry user name", "DOCKERHUB_USERNAME")]
    readonly string? RegistryUsername;

    [Parameter("Registry password or access token", "DOCKERHUB_TOKEN"), Secret]
    readonly string? RegistryPassword;

    [Parameter("Release version to tag, SemVer without the v (e.g. 1.2.0)", Name = "Version")]
    readonly string? ReleaseVersionText;

    [Parameter("Push the release tag to origin")]
    readonly bool PushTag;

    Target Publish => _ => _
        .Description("Pushes the tested image for each of --platforms as one index per tag ({pg}, {pg}-{version}, {pg-full}-{version}, latest)")
        .DependsOn(Test, PlatformImages)
        .Requires(() => Repository)
        .Requires(() => RegistryUsername)
        .Requires(() => RegistryPassword)
        .Executes(async ct =>
        {
            var release = await ReleaseVersion.ReadAsync(RootDirectory, ct);
            var tags = ImageTags.For(PgVersion, await PostgresVersionOfImageAsync(ImageTag, ct), release.Version, PostgresReplication.PostgresVersions.Default);
            var target = new RegistryDestination
            {
                Registry = Registry,
                Repository = Repository,
                Username = RegistryUsername,
                Password = RegistryPassword,
            };
            // With --skip the platform images are those an earlier PlatformImages built.
            var images = ChosenPlatforms.Select(p => p.IsNative ? ImageTag : platformImages.GetValueOrDefault(p) ?? p.LocalName(ImageTag)).ToList();
            foreach (var image in images.Where(i => i != ImageTag))
            {
                // Every tag names one PostgreSQL version, whichever platform pulls it.
                var version = await PostgresVersionOfImageAsync(image, ct);
                if (!tags.Any(t => t.StartsWith(version + "-", StringComparison.Ordinal)))
                {
                    throw new BuildFailedException($"{image} holds PostgreSQL {version}, unlike {ImageTag}; their bases differ");
                }
            }

            Log.Info($"publishing {string.Join(", ", images)} (release {release}) to {target.RepositoryReference} as {string.Join(", ", tags)}");
            var publisher = new ImagePublisher((await EngineAsync(ct)).Client, Log.Info);
            var pushed = await AsBuildFailure<RegistryAuthenticationException, IReadOnlyList<PublishedTag>>(
                () => publisher.PublishAsync(images, tags, target, ct));
            Log.Info($"pushed {pushed.Count} tag(s) of {target.RepositoryReference}, digest {pushed[0].Digest}");
        });

    Target Release => _ => _
        .Description("Creates the annotated tag v{version} on a clean tree; --push-tag pushes it")
        .Requires(() => ReleaseVersionText)
        .Executes(async ct =>
        {
            var tagger = new ReleaseTagger(RootDirectory, Log.Info);
            var tag = await AsBuildFailure<ReleaseRefusedException, ReleaseTag>(
                () => tagger.CreateAsync(ReleaseVersionText!, PushTag, ct: ct));
            Log.Info(PushTag ? $"created and pushed {tag.Name}" : $"created {tag.Name}; push it with git push origin {tag.Name}");
        });

    /// <summary>Expected refusals read best as their one-line message, without an exception type.</summary>
    static async Task<T> AsBuildFailure<TException, T>(Func<Task<T>> action)
        where TException : Exception
    {
        try
        {
            return await action();
        }
        catch (TException e)
        {
            throw new BuildFailedException(e.Message, e);
        }
    }

    /// <summary>The full PostgreSQL version (e.g. 18.6) from a built image's PG_VERSION (e.g. 18.6-1.pgdg13+1).</summary>
    async Task<string> PostgresVersionOfImageAsync(string name, CancellationToken ct)
    {
        var image = await (await EngineAsync(ct)).Client.Images.InspectImageAsync(name, ct);
        var pgVersion = image.Config?.Env?.FirstOrDefault(e => e.StartsWith("PG_VERSION=", StringComparison.Ordinal))?["PG_VERSION=".Length..];
        var match = Regex.Match(pgVersion ?? "", @"^\d+\.\d+");
        return match.Success
            ? match.Value
            : throw new BuildFailedException($"{name} has no PG_VERSION like 18.6 in its environment (found '{pgVersion}'); is its base a postgres image?");
    }
}
