namespace PostgresReplication;

/// <summary>
/// One Patroni cluster on the HA image: etcd members, Patroni members and one HAProxy, their
/// names, credentials and Patroni's timing. Names and labels come from the run id, as for
/// <see cref="ClusterOptions"/>.
/// </summary>
public sealed record HaClusterOptions
{
    /// <summary>The HA image, e.g. postgres-replication:18-ha.</summary>
    public required string Image { get; init; }

    public RunId RunId { get; init; } = RunId.New();

    public string NamePrefix { get; init; } = "pgrepl";

    public int MemberCount { get; init; } = 3;

    public int EtcdCount { get; init; } = 3;

    /// <summary>PATRONI_SCOPE: the cluster's name in the store.</summary>
    public string Scope { get; init; } = "pgrepl";

    public string SuperuserName { get; init; } = "postgres";

    public string SuperuserPassword { get; init; } = ClusterOptions.NewPassword();

    public string Database { get; init; } = "postgres";

    public string ReplicationUser { get; init; } = "replicator";

    public string ReplicationPassword { get; init; } = ClusterOptions.NewPassword();

    public string RestApiUser { get; init; } = "patroni";

    public string RestApiPassword { get; init; } = ClusterOptions.NewPassword();

    /// <summary>SYNCHRONOUS_MODE: off, on or strict.</summary>
    public string SynchronousMode { get; init; } = "off";

    /// <summary>Extra environment for every Patroni member (PATRONI_TTL, ...); a null value removes a variable.</summary>
    public IReadOnlyDictionary<string, string?> MemberEnvironment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long the waits give a member to come up, be elected or stream.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public string NetworkName => $"{NamePrefix}-{RunId}";

    public IReadOnlyList<string> MemberNames => [.. Enumerable.Range(1, MemberCount).Select(i => $"member-{i}")];

    public IReadOnlyList<string> EtcdNames => [.. Enumerable.Range(1, EtcdCount).Select(i => $"etcd-{i}")];

    public const string ProxyName = "haproxy";
}
