using Docker.DotNet.Models;
using Npgsql;

namespace PostgresReplication;

/// <summary>
/// An <see cref="HaCluster"/> as a chaos run sees it. Each member is also attached to an "observer"
/// network that only the host uses (members cannot talk over it), and the sampler asks the members
/// at their addresses there: a fault cuts only the cluster's network, so a member cut off from etcd
/// and its replicas is still seen from outside, which is where two leaders would show.
/// </summary>
public sealed class HaClusterChaos : IChaosCluster
{
    /// <summary>PostgreSQL's port inside a member, where the observer network reaches it.</summary>
    private const int PostgresPort = 5432;

    private readonly HaCluster _cluster;
    private readonly Dictionary<string, string> _observedAddresses = [];
    private readonly Lock _addressesLock = new();

    private HaClusterChaos(HaCluster cluster, TimeSpan leaderTtl)
    {
        _cluster = cluster;
        LeaderTtl = leaderTtl;
        Observed = [.. cluster.Members.Select(m => new ObservedMember(m.Name, () => ObservedEndpoint(m)))];
    }

    public Task<string> LastLogLinesAsync(int lines, CancellationToken ct) => _cluster.DumpLogsAsync(lines, ct);

    public string ObserverNetwork => $"{_cluster.Options.NetworkName}-observer";

    public IReadOnlyList<string> Members => [.. _cluster.Members.Select(m => m.Name)];

    public IReadOnlyList<string> EtcdMembers => [.. _cluster.Etcd.Select(m => m.Name)];

    public TimeSpan LeaderTtl { get; }

    public bool Strict => _cluster.Options.SynchronousMode == "strict";

    public PgEndpoint ReadWrite => _cluster.Proxy.Endpoint;

    public IReadOnlyList<ObservedMember> Observed { get; }

    /// <summary>
    /// Creates the observer network (labelled with the run, so the cluster's disposal removes it)
    /// and attaches every member to it. <paramref name="leaderTtl"/> is the PATRONI_TTL the members run with.
    /// </summary>
    public static async Task<HaClusterChaos> AttachAsync(HaCluster cluster, TimeSpan leaderTtl, CancellationToken ct)
    {
        var chaos = new HaClusterChaos(cluster, leaderTtl);
        var docker = cluster.Engine.Client;
        await docker.Networks.CreateNetworkAsync(
            new NetworksCreateParameters
            {
                Name = chaos.ObserverNetwork,
                Driver = "bridge",
                Labels = ResourceLabels.ForRun(cluster.Options.RunId),
                // Host to member only: the members never reach each other this way, so it is no
                // way around a fault that cuts the cluster's network.
                Options = new Dictionary<string, string> { ["com.docker.network.bridge.enable_icc"] = "false" },
            },
            ct);
        foreach (var member in cluster.Members)
        {
            await docker.Networks.ConnectNetworkAsync(chaos.ObserverNetwork, new NetworkConnectParameters { Container = member.ContainerId }, ct);
            await chaos.ReadObservedAddressAsync(member, ct);
        }

        return chaos;
    }

    public async Task<string?> LeaderAsync(CancellationToken ct) =>
        (await _cluster.ClusterViewAsync(_cluster.Members, ct)).Leader?.Name;

    /// <summary>
    /// Whole: Patroni names a running leader, its PostgreSQL accepts writes (with a synchronous
    /// standby recorded, in synchronous mode), and every other member
    /// streams from it (the leader's pg_stat_replication, the same on every Patroni version).
    /// </summary>
    public async Task<IReadOnlyList<MemberAtEnd>> MemberStatesAsync(CancellationToken ct)
    {
        var view = await _cluster.ClusterViewAsync(_cluster.Members, ct);
        var patroni = view.Members.ToDictionary(m => m.Name, m => $"{m.Role}/{m.State}");
        string State(string name) => patroni.TryGetValue(name, out var state) ? state : "absent from Patroni's view";
        if (view.Leader is not { } leader)
        {
            return [.. Members.Select(m => new MemberAtEnd(m, $"{State(m)}, no leader", false))];
        }

        await using var connection = await _cluster.Member(leader.Name).Endpoint.OpenAsync(ct);
        // '*' is Patroni's placeholder before it has recorded a synchronous standby in the store:
        // until then strict mode has no member that may take over, so the cluster is not whole yet.
        var writable = await PgEndpoint.ScalarAsync<bool>(
            connection, "SELECT NOT pg_is_in_recovery() AND current_setting('synchronous_standby_names') <> '*'", ct)
            && SynchronousStandbyRecorded(view);
        var streaming = await StreamingAsync(connection, ct);
        return
        [
            .. Members.Select(m => m == leader.Name
                ? new MemberAtEnd(m, writable ? "leader, accepts writes" : "leader, in recovery or no synchronous standby recorded in the store", writable)
                : new MemberAtEnd(m, streaming.Contains(m) ? $"streaming from {leader.Name}" : $"{State(m)}, not streaming", streaming.Contains(m))),
        ];
    }

    /// <summary>
    /// In synchronous mode, whether Patroni's store names a synchronous standby (its role in GET
    /// /cluster comes from the store's /sync key). Patroni 4 sets synchronous_standby_names first
    /// and records the standby in the store only once it reports sync, a loop or more later: a leader
    /// lost in between leaves no member allowed to take over ("not the healthiest node", for ever).
    /// </summary>
    private bool SynchronousStandbyRecorded(PatroniClusterView view) =>
        _cluster.Options.SynchronousMode == "off" || view.Members.Any(m => m.Role is "sync_standby" or "quorum_standby");

    public Task KillAsync(string member, CancellationToken ct) => _cluster.Member(member).KillAsync(ct);

    public async Task StartAsync(string member, CancellationToken ct)
    {
        var node = _cluster.Member(member);
        await node.StartAsync(ct);
        await ReadObservedAddressAsync(node, ct);
    }

    public Task PauseAsync(string member, CancellationToken ct) => _cluster.Member(member).PauseAsync(ct);

    public Task UnpauseAsync(string member, CancellationToken ct) => _cluster.Member(member).UnpauseAsync(ct);

    public Task IsolateAsync(string member, CancellationToken ct) => _cluster.Member(member).DisconnectAsync(ct);

    public Task RejoinAsync(string member, CancellationToken ct) => _cluster.Member(member).ReconnectAsync(ct);

    public async Task RestartEtcdAsync(string etcdMember, CancellationToken ct)
    {
        var node = _cluster.Etcd.Single(e => e.Name == etcdMember);
        await node.StopAsync(TimeSpan.FromSeconds(10), ct);
        await node.StartAsync(ct);
    }

    private static async Task<HashSet<string>> StreamingAsync(NpgsqlConnection leader, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'", leader);
        await using var reader = await command.ExecuteReaderAsync(ct);
        HashSet<string> names = [];
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>A container started again may get another address on the observer network.</summary>
    private async Task ReadObservedAddressAsync(HaNode member, CancellationToken ct)
    {
        var address = await _cluster.Engine.ContainerAddressAsync(member.ContainerId, ObserverNetwork, ct);
        lock (_addressesLock)
        {
            _observedAddresses[member.Name] = address;
        }
    }

    private PgEndpoint ObservedEndpoint(HaNode member)
    {
        lock (_addressesLock)
        {
            var options = _cluster.Options;
            return new PgEndpoint(PostgresPort, options.SuperuserName, options.SuperuserPassword, options.Database)
            {
                Address = _observedAddresses[member.Name],
            };
        }
    }
}
