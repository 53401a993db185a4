namespace PostgresReplication;

/// <summary>What to build: a folder (the build context), its Dockerfile, tags, build args and labels.</summary>
public sealed record ImageBuildRequest(string ContextDirectory, IReadOnlyList<string> Tags)
{
    /// <summary>Path of the Dockerfile inside the context.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public bool NoCache { get; init; }
}
