using System.Security.Cryptography;

namespace PostgresReplication;

/// <summary>Settings for one cluster: image, names, credentials and what every or one node gets extra.</summary>
public sealed record ClusterOptions
{
    /// <summary>The replication image to run, e.g. postgres-replication:18-test.</summary>
    public required string Image { get; init; }

    /// <summary>Names and labels this cluster's resources; one cluster per run id (the network is named after it).</summary>
    public RunId RunId { get; init; } = RunId.New();

    /// <summary>Container, volume and network names start with "{NamePrefix}-{RunId}".</summary>
    public string NamePrefix { get; init; } = "pgrepl";

    public string SuperuserName { get; init; } = "postgres";

    public string SuperuserPassword { get; init; } = NewPassword();

    public string Database { get; init; } = "postgres";

    public string ReplicationUser { get; init; } = "replicator";

    public string ReplicationPassword { get; init; } = NewPassword();

    /// <summary>Server settings for every node, passed as <c>postgres -c name=value</c>.</summary>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra environment by node name, applied before per-call overrides; a null value removes a variable.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> NodeEnvironment { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string?>>();

    /// <summary>Container settings by node name beyond the environment: user, bind mounts, hostname.</summary>
    public IReadOnlyDictionary<string, NodeContainerOptions> NodeContainers { get; init; } =
        new Dictionary<string, NodeContainerOptions>();

    /// <summary>How long one connection attempt may take; an image run under emulation needs far more than the default.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the probes wait for a node by default.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// True gives every node one shared pgBackRest repository: the labelled named volume
    /// <see cref="BackupVolumeName"/> on <see cref="BackupRepositoryPath"/>, with
    /// <c>PGBACKREST_REPO1_PATH</c> and <c>PGBACKREST_REPO1_RETENTION_FULL=2</c> (per-node environment wins).
    /// </summary>
    public bool BackupRepository { get; init; }

    /// <summary>Where the image keeps a pgBackRest repository on a volume (created owned by postgres).</summary>
    public const string BackupRepositoryPath = "/var/lib/pgbackrest";

    /// <summary>Full backups the repository keeps (PGBACKREST_REPO1_RETENTION_FULL): one more expires the oldest.</summary>
    public const int BackupRetentionFull = 2;

    public string NetworkName => $"{NamePrefix}-{RunId}";

    /// <summary>The repository volume every node mounts when <see cref="BackupRepository"/> is set.</summary>
    public string BackupVolumeName => $"{NetworkName}-backup";

    /// <summary>Random per cluster, so no test shares or prints a fixed secret.</summary>
    public static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>How one node's container differs from the default: what <c>docker run</c> users pass besides <c>-e</c>.</summary>
public sealed record NodeContainerOptions
{
    /// <summary>As <c>--user</c>, e.g. "12345:12345"; null for the image's own (root, which drops to postgres).</summary>
    public string? User { get; init; }

    /// <summary>As <c>-v HOST:CONTAINER[:ro]</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>The container's command instead of <c>postgres</c> with the cluster's server settings, as <c>docker run IMAGE CMD...</c>.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>False leaves the hostname to the engine (the container id), as <c>docker run</c> without <c>--hostname</c>.</summary>
    public bool HostnameIsNodeName { get; init; } = true;
}
