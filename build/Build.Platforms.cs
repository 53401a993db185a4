using BuildRunner;
using PostgresReplication;
using PostgresReplication.Publishing;

/// <summary>The image for the platforms besides the machine's own, which Publish pushes with it as one index.</summary>
sealed partial class Build
{
    [Parameter("Platforms Publish pushes as one index per tag; a single one pushes a plain image as before")]
    readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    readonly Dictionary<ImagePlatform, string> platformImages = [];

    IReadOnlyList<ImagePlatform> ChosenPlatforms
    {
        get
        {
            try
            {
                var chosen = Platforms.Select(ImagePlatform.Parse).Distinct().ToList();
                return chosen.Count > 0 ? chosen : throw new BuildFailedException("--platforms names no platform");
            }
            catch (ArgumentException e)
            {
                throw new BuildFailedException(e.Message, e);
            }
        }
    }

    Target PlatformImages => _ => _
        .Description("Builds {image}:{pg-version}-{arch} for each of --platforms but the machine's own: on postgres:{pg-version} "
            + "for that platform, or offline on postgres-replication-base:{pg-version}-{arch}, bootstrapped once under qemu (about 15 min)")
        .Executes(async ct =>
        {
            foreach (var platform in ChosenPlatforms.Where(p => !p.IsNative))
            {
                platformImages[platform] = await BuildImageForAsync(platform, ct);
            }
        });

    async Task<string> BuildImageForAsync(ImagePlatform platform, CancellationToken ct)
    {
        var docker = await EngineAsync(ct);
        var provider = new BaseImageProvider(
            docker, DockerDirectory, Path.Combine(TempDirectory, $"base-{PgVersion}-{platform.Architecture}"), Log.Info);
        var chosen = await provider.ProvideAsync(PgVersion, BaseImageParameter, allowPull: !NoPull, platform, ct);
        Log.Info($"base image for {platform}: {chosen}");

        var release = await ReleaseVersion.ReadAsync(RootDirectory, ct);
        var tag = platform.LocalName(ImageTag);
        var request = ReplicationImageRequest([tag], chosen.Name, release) with { Platform = platform };
        var built = await new ImageBuilder(docker).BuildUnlessUpToDateAsync(request, ShowBuildStep, ct);
        var architecture = await new ImageInspector(docker).ArchitectureAsync(tag, ct);
        if (architecture != platform.Architecture)
        {
            throw new BuildFailedException($"{tag} was built for {platform} but records architecture {architecture}");
        }

        Log.Info(built ? $"built {tag} for {platform} on {chosen.Name}" : $"{tag} ({platform}) is up to date; nothing built");
        return tag;
    }
}
