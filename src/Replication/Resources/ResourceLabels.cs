namespace PostgresReplication;

/// <summary>The labels that mark what this project created, and the filters that find it again.</summary>
public static class ResourceLabels
{
    public const string Project = "io.postgres-replication.project";
    public const string Run = "io.postgres-replication.run";
    public const string Node = "io.postgres-replication.node";
    public const string ProjectName = "postgres-replication";

    /// <summary>Labels for a network: project and run.</summary>
    public static Dictionary<string, string> ForRun(RunId run) => new()
    {
        [Project] = ProjectName,
        [Run] = run.Value,
    };

    /// <summary>Labels for a node's container and volume: project, run and node name.</summary>
    public static Dictionary<string, string> ForNode(RunId run, string node)
    {
        var labels = ForRun(run);
        labels[Node] = node;
        return labels;
    }

    /// <summary>An Engine API list filter: everything of the project, or only of one run.</summary>
    public static IDictionary<string, IDictionary<string, bool>> Filter(RunId? run)
    {
        var labels = new Dictionary<string, bool> { [$"{Project}={ProjectName}"] = true };
        if (run is { } only)
        {
            labels[$"{Run}={only.Value}"] = true;
        }

        return new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels };
    }
}
