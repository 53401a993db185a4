namespace PostgresReplication;

/// <summary>The engine reported a failed build; the message is the build's own error text.</summary>
public sealed class ImageBuildException(string image, string error, IReadOnlyList<string> lastLines)
    : Exception($"Building {image} failed: {error}")
{
    public string Image { get; } = image;

    public string Error { get; } = error;

    /// <summary>The build output just before the failure, for the log.</summary>
    public IReadOnlyList<string> LastLines { get; } = lastLines;
}
