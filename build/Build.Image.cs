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
            var request = new ImageBuildRequest(DockerDirectory, [ImageTag])
            {
                BuildArgs = new Dictionary<string, string>
                {
                    ["BASE_IMAGE"] = baseImageName!,
                    ["VERSION"] = release.Version.ToString(),
                    ["REVISION"] = release.Revision,
                    ["CREATED"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                },
            };
            await new ImageBuilder(await EngineAsync(ct)).BuildAsync(request, Log.Debug, ct);
            Log.Info($"built {ImageTag} on {baseImageName} (release {release})");
        });
}
