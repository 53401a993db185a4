namespace PostgresReplication;

/// <summary>An image name split for the pull API: repository and tag (a registry port is not a tag).</summary>
public sealed record ImageReference(string Repository, string Tag)
{
    public static ImageReference Parse(string image)
    {
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > lastSlash
            ? new ImageReference(image[..colon], image[(colon + 1)..])
            : new ImageReference(image, "latest");
    }

    public override string ToString() => $"{Repository}:{Tag}";
}
