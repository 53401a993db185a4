using System.IO.Pipelines;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>Builds an image from a folder through the Engine API, streaming the build's lines.</summary>
public sealed class ImageBuilder(DockerEngine engine)
{
    /// <summary>The label that records what an image was built from (see <see cref="BuildUnlessUpToDateAsync"/>).</summary>
    public const string InputsLabel = "io.postgres-replication.inputs";

    /// <summary>
    /// Builds unless every tag already names an image built from the same inputs: the context's
    /// content, the Dockerfile, the build args (but the untracked ones), the labels and the id of
    /// the image named by the BASE_IMAGE build arg. Returns whether it built.
    /// </summary>
    public async Task<bool> BuildUnlessUpToDateAsync(ImageBuildRequest request, Action<string> progress, CancellationToken ct)
    {
        var inputs = await InputsAsync(request, ct);
        var images = new ImageInspector(engine);
        var upToDate = true;
        foreach (var tag in request.Tags)
        {
            upToDate &= await images.LabelAsync(tag, InputsLabel, ct) == inputs;
        }

        if (upToDate)
        {
            return false;
        }

        var labels = request.Labels.ToDictionary();
        labels[InputsLabel] = inputs;
        await BuildAsync(request with { Labels = labels }, progress, ct);
        return true;
    }

    /// <summary>Builds and tags the image; throws with the build's error.</summary>
    public async Task BuildAsync(ImageBuildRequest request, Action<string> progress, CancellationToken ct)
    {
        if (request.Tags.Count == 0)
        {
            throw new ArgumentException("An image build needs at least one tag.", nameof(request));
        }

        var dockerfile = Path.Combine(request.ContextDirectory, request.Dockerfile);
        if (!File.Exists(dockerfile))
        {
            throw new FileNotFoundException($"No Dockerfile at {Path.GetFullPath(dockerfile)}.", dockerfile);
        }

        var image = request.Tags[0];
        var output = new ImageBuildStream(progress);
        // The context streams through a pipe: a base image's rootfs is hundreds of MB and need not sit in memory.
        var pipe = new Pipe();
        var producer = ProduceContextAsync(request.ContextDirectory, request.ExcludedDirectories, pipe.Writer, ct);
        try
        {
            await engine.Client.Images.BuildImageFromDockerfileAsync(
                Parameters(request), pipe.Reader.AsStream(), authConfigs: null, headers: null, output, ct);
        }
        catch (DockerApiException e)
        {
            throw new InvalidOperationException($"Building {image} failed: {EngineError.Message(e)}", e);
        }
        finally
        {
            // Unblocks the producer if the engine stopped reading early.
            await pipe.Reader.CompleteAsync();
            await producer;
        }

        output.Flush();
        if (output.Error is { } error)
        {
            throw new InvalidOperationException($"Building {image} failed: {error}");
        }
    }

    private async Task<string> InputsAsync(ImageBuildRequest request, CancellationToken ct)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        BuildContext.AppendFingerprint(request.ContextDirectory, hash, request.ExcludedDirectories);
        var described = new List<string> { $"dockerfile={request.Dockerfile}" };
        described.AddRange(request.BuildArgs
            .Where(a => !request.UntrackedBuildArgs.Contains(a.Key))
            .Select(a => $"arg {a.Key}={a.Value}"));
        described.AddRange(request.Labels.Select(l => $"label {l.Key}={l.Value}"));
        if (request.Platform is { } platform)
        {
            described.Add($"platform {platform}");
        }
        if (request.BuildArgs.TryGetValue("BASE_IMAGE", out var baseImage))
        {
            // A base rebuilt or pulled anew under the same tag is another base.
            described.Add($"base {(await engine.Client.Images.InspectImageAsync(baseImage, ct)).ID}");
        }

        foreach (var line in described.Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
    }

    private static ImageBuildParameters Parameters(ImageBuildRequest request) => new()
    {
        Tags = [.. request.Tags],
        Dockerfile = request.Dockerfile,
        BuildArgs = request.BuildArgs.ToDictionary(),
        Labels = request.Labels.ToDictionary(),
        Platform = request.Platform?.ToString(),
        Remove = true,
        ForceRemove = true,
    };

    private static async Task ProduceContextAsync(string directory, IReadOnlyList<string> excluded, PipeWriter writer, CancellationToken ct)
    {
        // Yield first so the build request starts while the tar is being written.
        await Task.Yield();
        try
        {
            await using var stream = writer.AsStream(leaveOpen: true);
            await BuildContext.WriteAsync(directory, stream, ct, excluded);
            await writer.CompleteAsync();
        }
        catch (Exception e)
        {
            // The request side sees a broken stream; the build call reports the failure.
            await writer.CompleteAsync(e);
        }
    }
}
