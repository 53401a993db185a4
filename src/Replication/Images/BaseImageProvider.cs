using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// Finds the PostgreSQL base image: the named image if it is here, else a pull, else an offline
/// stand-in built from Debian packages (reused when an earlier run built it).
/// </summary>
/// <param name="dockerDirectory">The repository's docker/ folder (holds base/bootstrap-rootfs.sh and base/Dockerfile).</param>
/// <param name="workDirectory">Where the offline rootfs is written; it needs about 1 GB free.</param>
public sealed class BaseImageProvider(DockerEngine engine, string dockerDirectory, string workDirectory, Action<string> progress)
{
    private readonly ImageInspector _images = new(engine);

    public static string DefaultBaseImage(int pgMajor) => $"postgres:{pgMajor}";

    public Task<BaseImage> ProvideAsync(int pgMajor, string? baseImage, CancellationToken ct) =>
        ProvideAsync(pgMajor, baseImage, allowPull: true, ct);

    /// <param name="allowPull">False keeps every request on this machine: no registry is asked.</param>
    public Task<BaseImage> ProvideAsync(int pgMajor, string? baseImage, bool allowPull, CancellationToken ct) =>
        ProvideAsync(pgMajor, baseImage, allowPull, ImagePlatform.Native, ct);

    /// <summary>
    /// The base for one platform. Another platform's base is kept under its own local name
    /// (<see cref="ImagePlatform.LocalName"/>): postgres:15-arm64 pulled from postgres:15, or the
    /// offline postgres-replication-base:15-arm64, bootstrapped under qemu.
    /// </summary>
    public async Task<BaseImage> ProvideAsync(
        int pgMajor, string? baseImage, bool allowPull, ImagePlatform platform, CancellationToken ct)
    {
        var wanted = baseImage ?? DefaultBaseImage(pgMajor);
        var wantsOffline = wanted == OfflineBaseLayout.TagFor(pgMajor);
        var local = platform.LocalName(wanted);
        var offline = OfflineBaseLayout.TagFor(pgMajor, platform);
        if (!wantsOffline && await _images.ArchitectureAsync(local, ct) == platform.Architecture)
        {
            return new BaseImage(local, BaseImageSource.PresentLocally, $"{local} ({platform}) is present locally");
        }

        string why;
        if (!allowPull || wantsOffline)
        {
            // The offline tag exists in no registry, so asking one would only cost a timeout.
            why = wantsOffline ? $"{offline} is not present" : $"{local} ({platform}) is not present and pulling is off";
        }
        else
        {
            var pullFailure = await TryPullAsync(wanted, local, platform, ct);
            if (pullFailure is null)
            {
                return new BaseImage(local, BaseImageSource.Pulled, $"pulled {wanted} for {platform} as {local}");
            }

            why = $"{local} is not present and {wanted} for {platform} could not be pulled ({pullFailure})";
        }

        var recipe = RecipeStamp();
        var builtFrom = await _images.LabelAsync(offline, RecipeLabel, ct);
        if (builtFrom == recipe && await _images.ArchitectureAsync(offline, ct) == platform.Architecture)
        {
            return new BaseImage(offline, BaseImageSource.OfflineBuildReused,
                $"{why}; reused {offline}, built earlier from Debian packages");
        }

        if (await _images.ExistsAsync(offline, ct))
        {
            // An older recipe may lack what the current one adds (JIT, locale): never reuse it silently.
            why += $"; {offline} was built from another recipe of docker/base/";
        }

        progress($"{why}; building {offline} from Debian packages{(platform.IsNative ? "" : $" for {platform} under emulation")}");
        var clock = Stopwatch.StartNew();
        await BuildOfflineAsync(pgMajor, offline, platform, ct);
        return new BaseImage(offline, BaseImageSource.BuiltOffline,
            $"{why}; built {offline} offline from Debian packages in {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>
    /// Returns null on success, else why the pull failed (no registry is the usual case offline).
    /// The engine stores a pull under the name pulled, so another platform's image is moved to
    /// <paramref name="local"/> and whatever held the name before gets it back.
    /// </summary>
    private async Task<string?> TryPullAsync(string image, string local, ImagePlatform platform, CancellationToken ct)
    {
        var reference = ImageReference.Parse(image);
        var previous = image == local ? null : await _images.IdAsync(image, ct);
        var output = new ImageBuildStream(_ => { });
        try
        {
            await engine.Client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = reference.Repository, Tag = reference.Tag, Platform = platform.ToString() },
                authConfig: null, output, ct);
        }
        catch (DockerApiException e)
        {
            return FirstLine(EngineError.Message(e));
        }

        if (output.Error is { } error)
        {
            return FirstLine(error);
        }

        if (await _images.ArchitectureAsync(image, ct) is not { } architecture)
        {
            return "the engine reported no error but has no such image";
        }

        if (image != local)
        {
            await TagAsync(image, local, ct);
            if (previous is not null)
            {
                await TagAsync(previous, image, ct);
            }
        }

        return architecture == platform.Architecture ? null : $"the registry has no {platform} image of it, only {architecture}";
    }

    private Task TagAsync(string image, string name, CancellationToken ct)
    {
        var reference = ImageReference.Parse(name);
        return engine.Client.Images.TagImageAsync(
            image, new ImageTagParameters { RepositoryName = reference.Repository, Tag = reference.Tag }, ct);
    }

    /// <summary>The label on an offline base that names the docker/base/ recipe it was built from.</summary>
    public const string RecipeLabel = "io.postgres-replication.base-recipe";

    /// <summary>A hash of docker/base/'s files: an offline base is reused only when it matches.</summary>
    private string RecipeStamp()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var recipe = Path.Combine(dockerDirectory, "base");
        foreach (var file in Directory.GetFiles(recipe).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private async Task BuildOfflineAsync(int pgMajor, string tag, ImagePlatform platform, CancellationToken ct)
    {
        var recipe = Path.Combine(dockerDirectory, "base");
        Directory.CreateDirectory(workDirectory);
        var pgVersion = await RootfsBootstrap.RunAsync(
            Path.Combine(recipe, "bootstrap-rootfs.sh"), pgMajor, workDirectory, platform, progress, ct);
        File.Copy(Path.Combine(recipe, "Dockerfile"), Path.Combine(workDirectory, "Dockerfile"), overwrite: true);

        var layout = OfflineBaseLayout.For(pgMajor);
        var request = new ImageBuildRequest(workDirectory, [tag])
        {
            BuildArgs = new Dictionary<string, string>
            {
                ["PG_MAJOR"] = pgMajor.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PG_VERSION"] = pgVersion,
                ["PGDATA"] = layout.PgData,
                ["PG_VOLUME"] = layout.Volume,
            },
            Labels = new Dictionary<string, string> { [RecipeLabel] = RecipeStamp() },
            // The engine records the requested platform in the image's config (FROM scratch + ADD
            // runs nothing), which docker import would not: it always writes the engine's own.
            Platform = platform.IsNative ? null : platform,
        };
        await new ImageBuilder(engine).BuildAsync(request, progress, ct);
        // The rootfs is now inside the image; keeping a second copy only costs disk.
        File.Delete(Path.Combine(workDirectory, "rootfs.tar"));
    }

    private static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOf('\n');
        return end < 0 ? trimmed : trimmed[..end];
    }
}
