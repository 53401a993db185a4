namespace PostgresReplication;

/// <summary>Where the base image came from, so the pipeline can say which path it took.</summary>
public enum BaseImageSource
{
    PresentLocally,
    Pulled,
    OfflineBuildReused,
    BuiltOffline,
}

/// <summary>The base image to build on, how it was obtained, and a sentence saying so.</summary>
public sealed record BaseImage(string Name, BaseImageSource Source, string How)
{
    public override string ToString() => $"{Name}: {How}";
}
