using BuildRunner;
using PostgresReplication;
using PostgresReplication.Publishing;

sealed partial class Build
{
    string? baseImageName;

    Target BaseImage => _ => _
        .Description("Finds the base image: present locally, else pulled, else built offline from Debian packages")
        .Executes(async ct =>
        {
            var provider = new BaseImageProvider(
                await EngineAsync(ct), DockerDirectory, Path.Combine(TempDirectory, $"base-{PgVersion}"), Log.Info);
            var chosen = await provider.ProvideAsync(PgVersion, BaseImageParameter, allowPull: !NoPull, ct);
            baseImageName = chosen.Name;
            Log.Info($"base image {chosen}");
        });

    Target BuildImage => _ => _
        .Description("Builds docker/ on the base image, tagged {image}:{pg-version}")
        .DependsOn(BaseImage)
        .Executes(async ct =>
        {
            var release = await ReleaseVersion.ReadAsync(RootDirectory, ct);
            // On a release commit the local image also carries its release tag, as Publish will push it.
            string[] tags = release.IsPreRelease ? [ImageTag] : [ImageTag, $"{ImageTag}-{release.Version}"];
            var request = ReplicationImageRequest(tags, baseImageName!, release);
            var built = await new ImageBuilder(await EngineAsync(ct)).BuildUnlessUpToDateAsync(request, ShowBuildStep, ct);
            Log.Info(built
                ? $"built {string.Join(", ", tags)} on {baseImageName} (release {release})"
                : $"{string.Join(", ", tags)} is up to date: docker/, {baseImageName} and release {release} are what it was built from; nothing built");
        });

    /// <summary>docker/ on a base image, with the OCI labels of a release; the same for every platform.</summary>
    ImageBuildRequest ReplicationImageRequest(string[] tags, string baseImage, ReleaseVersion release) =>
        new(DockerDirectory, tags)
        {
            BuildArgs = new Dictionary<string, string>
            {
                ["BASE_IMAGE"] = baseImage,
                ["VERSION"] = release.Version.ToString(),
                ["REVISION"] = release.Revision,
                ["CREATED"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
            // The image keeps the time it was first built from these inputs.
            UntrackedBuildArgs = ["CREATED"],
            // The HA image's folder is built on top of this image, never into it.
            ExcludedDirectories = ["ha"],
        };

    /// <summary>The build's "Step 3/9 : ..." lines show progress; the rest only with --verbose.</summary>
    static void ShowBuildStep(string line)
    {
        if (line.StartsWith("Step ", StringComparison.Ordinal))
        {
            Log.Info(line);
        }
        else
        {
            Log.Debug(line);
        }
    }
}
