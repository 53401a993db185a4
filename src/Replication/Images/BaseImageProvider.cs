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
    public async Task<BaseImage> ProvideAsync(int pgMajor, string? baseImage, bool allowPull, CancellationToken ct)
    {
        var wanted = baseImage ?? DefaultBaseImage(pgMajor);
        var offline = OfflineBaseLayout.TagFor(pgMajor);
        if (wanted != offline && await _images.ExistsAsync(wanted, ct))
        {
            return new BaseImage(wanted, BaseImageSource.PresentLocally, $"{wanted} is present locally");
        }

        string why;
        if (!allowPull || wanted == offline)
        {
            // The offline tag exists in no registry, so asking one would only cost a timeout.
            why = wanted == offline ? $"{wanted} is not present" : $"{wanted} is not present and pulling is off";
        }
        else
        {
            var pullFailure = await TryPullAsync(wanted, ct);
            if (pullFailure is null)
            {
                return new BaseImage(wanted, BaseImageSource.Pulled, $"pulled {wanted}");
            }

            why = $"{wanted} is not present and could not be pulled ({pullFailure})";
        }

        var recipe = RecipeStamp();
        var builtFrom = await _images.LabelAsync(offline, RecipeLabel, ct);
        if (builtFrom == recipe)
        {
            return new BaseImage(offline, BaseImageSource.OfflineBuildReused,
                $"{why}; reused {offline}, built earlier from Debian packages");
        }

        if (await _images.ExistsAsync(offline, ct))
        {
            // An older recipe may lack what the current one adds (JIT, locale): never reuse it silently.
            why += $"; {offline} was built from another recipe of docker/base/";
        }

        progress($"{why}; building {offline} from Debian packages");
        var clock = Stopwatch.StartNew();
        await BuildOfflineAsync(pgMajor, offline, ct);
        return new BaseImage(offline, BaseImageSource.BuiltOffline,
            $"{why}; built {offline} offline from Debian packages in {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>Returns null on success, else why the pull failed (no registry is the usual case offline).</summary>
    private async Task<string?> TryPullAsync(string image, CancellationToken ct)
    {
        var reference = ImageReference.Parse(image);
        var output = new ImageBuildStream(_ => { });
        try
        {
            await engine.Client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = reference.Repository, Tag = reference.Tag },
                authConfig: null, output, ct);
        }
        catch (DockerApiException e)
        {
            return FirstLine(EngineError.Message(e));
        }

        return output.Error is { } error ? FirstLine(error)
            : await _images.ExistsAsync(image, ct) ? null
            : "the engine reported no error but has no such image";
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

    private async Task BuildOfflineAsync(int pgMajor, string tag, CancellationToken ct)
    {
        var recipe = Path.Combine(dockerDirectory, "base");
        Directory.CreateDirectory(workDirectory);
        var pgVersion = await RootfsBootstrap.RunAsync(
            Path.Combine(recipe, "bootstrap-rootfs.sh"), pgMajor, workDirectory, progress, ct);
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
