namespace PostgresReplication;

/// <summary>What to build: a folder (the build context), its Dockerfile, tags, build args and labels.</summary>
public sealed record ImageBuildRequest(string ContextDirectory, IReadOnlyList<string> Tags)
{
    /// <summary>Path of the Dockerfile inside the context.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The platform to build for (linux/arm64 runs the build's commands under emulation); null: the engine's own.</summary>
    public ImagePlatform? Platform { get; init; }

    /// <summary>
    /// Build args that do not make an image different (a build timestamp): they are left out when
    /// <see cref="ImageBuilder.BuildUnlessUpToDateAsync"/> decides whether anything changed.
    /// </summary>
    public IReadOnlyList<string> UntrackedBuildArgs { get; init; } = [];

    /// <summary>
    /// Subfolders of the context (relative, '/'-separated) neither sent nor fingerprinted: the plain
    /// image leaves out docker/ha/, so a change there rebuilds only the HA image.
    /// </summary>
    public IReadOnlyList<string> ExcludedDirectories { get; init; } = [];
}
