namespace PostgresReplication.Benchmarks;

/// <summary>The replication image against the image it was built on, as the engine reports their sizes.</summary>
public sealed record ImageSizeResult(string Image, string BaseImage, long ImageBytes, long BaseImageBytes, int AddedLayers)
{
    /// <summary>What our layers add: image size minus base image size.</summary>
    public long LayerBytes => ImageBytes - BaseImageBytes;
}
