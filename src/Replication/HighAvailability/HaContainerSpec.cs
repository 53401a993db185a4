using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// The create-container request of one HA container: its role's command and environment (the
/// README's HA contract), labels, a named volume for what it keeps (Patroni's data, etcd's data) and
/// loopback ports. Pure, so it is unit-tested.
/// </summary>
internal static class HaContainerSpec
{
    public const string PostgresPort = "5432/tcp";
    public const string RestApiPort = "8008/tcp";
    public const string ReadOnlyPort = "5433/tcp";
    public const string EtcdDataPath = "/var/lib/etcd";

    public static string ContainerName(HaClusterOptions options, string name) => $"{options.NetworkName}-{name}";

    public static string VolumeName(HaClusterOptions options, string name) => $"{options.NetworkName}-{name}-data";

    public static IReadOnlyList<string> PublishedPorts(HaRole role) => role switch
    {
        HaRole.Member => [PostgresPort, RestApiPort],
        HaRole.Proxy => [PostgresPort, ReadOnlyPort],
        _ => [],
    };

    public static Dictionary<string, string> Environment(HaClusterOptions options, HaRole role, string name) => role switch
    {
        HaRole.Etcd => new()
        {
            ["ETCD_NAME"] = name,
            ["ETCD_INITIAL_CLUSTER"] = string.Join(',', options.EtcdNames.Select(n => $"{n}=http://{n}:2380")),
            ["ETCD_INITIAL_CLUSTER_TOKEN"] = options.NetworkName,
        },
        HaRole.Proxy => new() { ["HA_MEMBERS"] = string.Join(',', options.MemberNames) },
        _ => MemberEnvironment(options, name),
    };

    private static Dictionary<string, string> MemberEnvironment(HaClusterOptions options, string name)
    {
        var env = new Dictionary<string, string>
        {
            ["PATRONI_SCOPE"] = options.Scope,
            ["PATRONI_NAME"] = name,
            ["PATRONI_ETCD3_HOSTS"] = string.Join(',', options.EtcdNames.Select(n => $"{n}:2379")),
            ["PATRONI_RESTAPI_USERNAME"] = options.RestApiUser,
            ["PATRONI_RESTAPI_PASSWORD"] = options.RestApiPassword,
            ["POSTGRES_USER"] = options.SuperuserName,
            ["POSTGRES_PASSWORD"] = options.SuperuserPassword,
            ["REPLICATION_USER"] = options.ReplicationUser,
            ["REPLICATION_PASSWORD"] = options.ReplicationPassword,
            ["SYNCHRONOUS_MODE"] = options.SynchronousMode,
        };
        foreach (var (key, value) in options.MemberEnvironment)
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

        return env;
    }

    /// <param name="dataVolumePath">The image's VOLUME holding PGDATA: a member's data volume goes
    /// there; etcd and HAProxy get a tmpfs on it, so no unlabelled anonymous volume is left behind.</param>
    public static CreateContainerParameters Create(HaClusterOptions options, HaRole role, string name, string dataVolumePath)
    {
        var labels = ResourceLabels.ForNode(options.RunId, name);
        var ports = PublishedPorts(role);
        List<Mount> mounts = role switch
        {
            HaRole.Member => [NamedVolume(options, name, dataVolumePath, labels), Tmpfs(EtcdDataPath)],
            HaRole.Etcd => [NamedVolume(options, name, EtcdDataPath, labels), Tmpfs(dataVolumePath)],
            _ => [Tmpfs(dataVolumePath), Tmpfs(EtcdDataPath)],
        };
        return new CreateContainerParameters
        {
            Image = options.Image,
            Name = ContainerName(options, name),
            Hostname = name,
            Env = [.. Environment(options, role, name).Select(e => $"{e.Key}={e.Value}")],
            Cmd = [role switch { HaRole.Etcd => "etcd", HaRole.Proxy => "haproxy", _ => "patroni" }],
            Labels = labels,
            ExposedPorts = ports.ToDictionary(p => p, _ => default(EmptyStruct)),
            HostConfig = new HostConfig
            {
                NetworkMode = options.NetworkName,
                DNS = RunDns.Servers,
                DNSSearch = RunDns.Search,
                DNSOptions = RunDns.Options,
                // Loopback only, port chosen by the engine: parallel runs never collide.
                PortBindings = ports.ToDictionary(
                    p => p, _ => (IList<PortBinding>)[new PortBinding { HostIP = "127.0.0.1", HostPort = "" }]),
                Mounts = mounts,
            },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    [options.NetworkName] = new EndpointSettings { Aliases = [name] },
                },
            },
        };
    }

    private static Mount NamedVolume(HaClusterOptions options, string name, string target, IDictionary<string, string> labels) => new()
    {
        Type = "volume",
        Source = VolumeName(options, name),
        Target = target,
        VolumeOptions = new VolumeOptions { Labels = labels },
    };

    private static Mount Tmpfs(string target) => new() { Type = "tmpfs", Target = target };
}
