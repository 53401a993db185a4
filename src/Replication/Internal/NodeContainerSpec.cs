using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// The create-container request for one node: environment per the image's contract, labels,
/// the named data volume, the network alias and a random loopback port. Pure, so it is unit-tested.
/// </summary>
internal static class NodeContainerSpec
{
    public const string PostgresPort = "5432/tcp";

    public static Dictionary<string, string> Environment(
        ClusterOptions options, string node, NodeRole role, string? upstream, IReadOnlyDictionary<string, string?>? overrides)
    {
        var env = role == NodeRole.Primary
            ? new Dictionary<string, string>
            {
                ["REPLICATION_ROLE"] = "primary",
                ["POSTGRES_USER"] = options.SuperuserName,
                ["POSTGRES_PASSWORD"] = options.SuperuserPassword,
                ["POSTGRES_DB"] = options.Database,
                ["REPLICATION_USER"] = options.ReplicationUser,
                ["REPLICATION_PASSWORD"] = options.ReplicationPassword,
            }
            : new Dictionary<string, string>
            {
                ["REPLICATION_ROLE"] = "standby",
                ["PRIMARY_HOST"] = upstream ?? throw new ArgumentNullException(nameof(upstream)),
                ["PRIMARY_PORT"] = "5432",
                ["REPLICATION_USER"] = options.ReplicationUser,
                ["REPLICATION_PASSWORD"] = options.ReplicationPassword,
            };

        if (options.BackupRepository)
        {
            env["PGBACKREST_REPO1_PATH"] = ClusterOptions.BackupRepositoryPath;
            env["PGBACKREST_REPO1_RETENTION_FULL"] = $"{ClusterOptions.BackupRetentionFull}";
        }

        if (options.NodeEnvironment.TryGetValue(node, out var perNode))
        {
            Apply(env, perNode);
        }

        Apply(env, overrides);
        return env;
    }

    public static CreateContainerParameters Create(
        ClusterOptions options, string node, string volume, string dataVolumePath, IReadOnlyDictionary<string, string> env)
    {
        var container = options.NodeContainers.TryGetValue(node, out var found) ? found : new NodeContainerOptions();
        return Create(options, node, volume, dataVolumePath, env, container);
    }

    private static CreateContainerParameters Create(
        ClusterOptions options, string node, string volume, string dataVolumePath, IReadOnlyDictionary<string, string> env,
        NodeContainerOptions container) => new()
    {
        Image = options.Image,
        Name = ContainerName(options, node),
        Hostname = container.HostnameIsNodeName ? node : "",
        User = container.User ?? "",
        Env = [.. env.Select(e => $"{e.Key}={e.Value}")],
        Cmd = container.Command is { } command ? [.. command] : Command(options.ServerSettings),
        Labels = ResourceLabels.ForNode(options.RunId, node),
        ExposedPorts = new Dictionary<string, EmptyStruct> { [PostgresPort] = default },
        HostConfig = new HostConfig
        {
            NetworkMode = options.NetworkName,
            DNS = RunDns.Servers,
            DNSSearch = RunDns.Search,
            DNSOptions = RunDns.Options,
            Binds = [.. container.Binds],
            // Loopback only, port chosen by the engine: parallel runs never collide.
            PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                [PostgresPort] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "" }],
            },
            // The engine creates a missing volume with these labels as part of this call (one
            // request less on every start) and reuses an existing one as it is.
            Mounts = Mounts(options, node, volume, dataVolumePath),
        },
        NetworkingConfig = new NetworkingConfig
        {
            EndpointsConfig = new Dictionary<string, EndpointSettings>
            {
                [options.NetworkName] = new EndpointSettings { Aliases = [node] },
            },
        },
    };

    private static List<Mount> Mounts(ClusterOptions options, string node, string volume, string dataVolumePath)
    {
        List<Mount> mounts =
        [
            new Mount
            {
                Type = "volume",
                Source = volume,
                Target = dataVolumePath,
                VolumeOptions = new VolumeOptions { Labels = ResourceLabels.ForNode(options.RunId, node) },
            },
        ];
        if (options.BackupRepository)
        {
            // One repository for the whole cluster: labelled by run, not node, so the sweep removes it.
            mounts.Add(new Mount
            {
                Type = "volume",
                Source = options.BackupVolumeName,
                Target = ClusterOptions.BackupRepositoryPath,
                VolumeOptions = new VolumeOptions { Labels = ResourceLabels.ForRun(options.RunId) },
            });
        }

        return mounts;
    }

    public static string ContainerName(ClusterOptions options, string node) => $"{options.NetworkName}-{node}";

    public static string VolumeName(ClusterOptions options, string node) => $"{options.NetworkName}-{node}-data";

    /// <summary>The image's own CMD is <c>postgres</c>; settings ride on it as <c>-c name=value</c>.</summary>
    internal static List<string> Command(IReadOnlyDictionary<string, string> settings) =>
        ["postgres", .. settings.SelectMany(s => new[] { "-c", $"{s.Key}={s.Value}" })];

    /// <summary>A null value removes the variable: refusal tests start nodes without a password.</summary>
    private static void Apply(Dictionary<string, string> env, IReadOnlyDictionary<string, string?>? extra)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                env.Remove(key);
            }
            else
            {
                env[key] = value;
            }
        }
    }
}
