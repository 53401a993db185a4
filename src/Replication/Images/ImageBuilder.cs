using System.IO.Pipelines;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>Builds an image from a folder through the Engine API, streaming the build's lines.</summary>
public sealed class ImageBuilder(DockerEngine engine)
{
    /// <summary>Builds and tags the image; throws <see cref="ImageBuildException"/> with the build's error.</summary>
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
        var output = new BuildOutput(progress);
        // The context streams through a pipe: a base image's rootfs is hundreds of MB and need not sit in memory.
        var pipe = new Pipe();
        var producer = ProduceContextAsync(request.ContextDirectory, pipe.Writer, ct);
        try
        {
            await engine.Client.Images.BuildImageFromDockerfileAsync(
                Parameters(request), pipe.Reader.AsStream(), authConfigs: null, headers: null, output, ct);
        }
        catch (DockerApiException e)
        {
            throw new ImageBuildException(image, EngineError.Message(e), output.LastLines);
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
            throw new ImageBuildException(image, error, output.LastLines);
        }
    }

    private static ImageBuildParameters Parameters(ImageBuildRequest request) => new()
    {
        Tags = [.. request.Tags],
        Dockerfile = request.Dockerfile,
        BuildArgs = request.BuildArgs.ToDictionary(),
        Labels = request.Labels.ToDictionary(),
        NoCache = request.NoCache,
        Remove = true,
        ForceRemove = true,
    };

    private static async Task ProduceContextAsync(string directory, PipeWriter writer, CancellationToken ct)
    {
        // Yield first so the build request starts while the tar is being written.
        await Task.Yield();
        try
        {
            await using var stream = writer.AsStream(leaveOpen: true);
            await BuildContext.WriteAsync(directory, stream, ct);
            await writer.CompleteAsync();
        }
        catch (Exception e)
        {
            // The request side sees a broken stream; the build call reports the failure.
            await writer.CompleteAsync(e);
        }
    }
}
