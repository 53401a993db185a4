namespace PostgresReplication;

/// <summary>
/// What a chaos run needs from an HA cluster: its names, its endpoints, who leads, whether it is
/// whole, and the faults and their heals. <see cref="HaClusterChaos"/> is the one on containers;
/// the unit tests use one in memory to check which member a fault hits.
/// </summary>
public interface IChaosCluster
{
    /// <summary>The Patroni members' names.</summary>
    IReadOnlyList<string> Members { get; }

    IReadOnlyList<string> EtcdMembers { get; }

    /// <summary>The leader key's lifetime (Patroni's ttl, as etcd grants the lease).</summary>
    TimeSpan LeaderTtl { get; }

    /// <summary>Whether the cluster runs in strict synchronous mode.</summary>
    bool Strict { get; }

    /// <summary>HAProxy's read-write port, as clients reach it.</summary>
    PgEndpoint ReadWrite { get; }

    /// <summary>Each member reached directly, on a path the faults leave alone.</summary>
    IReadOnlyList<ObservedMember> Observed { get; }

    /// <summary>The leader Patroni's REST API names now, or null when there is none.</summary>
    Task<string?> LeaderAsync(CancellationToken ct);

    /// <summary>Each member's state; whole when it leads or streams from the leader.</summary>
    Task<IReadOnlyList<MemberAtEnd>> MemberStatesAsync(CancellationToken ct);

    /// <summary>kill -9 of the member's container; returns once it stopped.</summary>
    Task KillAsync(string member, CancellationToken ct);

    /// <summary>Starts a killed member's container again, on its volume.</summary>
    Task StartAsync(string member, CancellationToken ct);

    Task PauseAsync(string member, CancellationToken ct);

    Task UnpauseAsync(string member, CancellationToken ct);

    /// <summary>Cuts the member off the cluster network (etcd and the other members); it stays observable.</summary>
    Task IsolateAsync(string member, CancellationToken ct);

    Task RejoinAsync(string member, CancellationToken ct);

    /// <summary>Stops and starts an etcd member's container.</summary>
    Task RestartEtcdAsync(string etcdMember, CancellationToken ct);

    /// <summary>Each container's last <paramref name="lines"/> lines: what Patroni did, before the cluster is removed with them.</summary>
    Task<string> LastLogLinesAsync(int lines, CancellationToken ct);
}
