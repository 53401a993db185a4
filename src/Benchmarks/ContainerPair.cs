using Docker.DotNet.Models;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The image's side: the library's <see cref="ReplicationCluster"/>, nodes and probes, called
/// exactly as the pipeline's targets call them: the primary, with the standby's container started
/// alongside when the pipeline would (its Test does), then waits for each standby as its own step.
/// </summary>
internal sealed class ContainerPair(DockerEngine engine, string image) : IReplicationPair
{
    /// <summary>How the benchmark's own sessions show in pg_stat_activity, on both sides.</summary>
    public const string BenchmarkApplicationName = "postgres-replication-benchmark";

    private readonly ClusterOptions _options = new() { Image = image, NamePrefix = "pgrepl-bench" };
    private readonly Dictionary<string, PostgresNode> _standbys = [];
    private ReplicationCluster? _cluster;
    private PostgresNode? _primary;
    private PostgresNode? _formerPrimary;
    private (string Name, Task<PostgresNode> Node)? _startingStandby;

    public string Side => Sides.Container;

    public PgEndpoint Primary => Endpoint(PrimaryNode);

    /// <summary>
    /// The primary at its address on the cluster's bridge network, port 5432: what a client on the host
    /// reaches without the engine's docker-proxy, which serves every connection to a published loopback port.
    /// </summary>
    public async Task<PgEndpoint> PrimaryOnBridgeAsync(CancellationToken ct)
    {
        var address = await engine.ContainerAddressAsync(PrimaryNode.ContainerId, network: null, ct);
        return Primary with { Address = address, Port = 5432 };
    }

    private PostgresNode PrimaryNode => _primary ?? throw new InvalidOperationException("The container primary has not started.");

    /// <summary>Includes creating the cluster's network: the pipeline's StartPrimary does that too.</summary>
    public async Task StartPrimaryAsync(CancellationToken ct, string? standbyAlongside = null)
    {
        _cluster = await ReplicationCluster.CreateAsync(engine, _options, log: null, ct);
        _primary = await _cluster.AddPrimaryAsync(ct);
        if (standbyAlongside is not null)
        {
            _startingStandby = (standbyAlongside, _cluster.AddStandbyAsync(standbyAlongside, _primary, ct));
        }

        await Probes.WaitUntilAcceptingConnectionsAsync(_primary, ct);
    }

    public async Task<string> StartStandbyAsync(string name, CancellationToken ct)
    {
        var cluster = _cluster ?? throw new InvalidOperationException("The container primary has not started.");
        var standby = _startingStandby is ({ } started, var pending) && started == name
            ? await pending
            : await cluster.AddStandbyAsync(name, PrimaryNode, ct);
        _startingStandby = null;
        _standbys[name] = standby;
        await Probes.WaitUntilStreamingAsync(PrimaryNode, standby, ct);
        return standby.SlotName;
    }

    public async Task SeedAsync(CancellationToken ct) => await PrimaryNode.ExecuteAsync(TutorialSeed.Sql, ct);

    public async Task AssertReplicationAsync(string standbyName, CancellationToken ct)
    {
        var standby = Standby(standbyName);
        var lsn = await PrimaryNode.CurrentWalLsnAsync(ct);
        await Probes.WaitForReplayAsync(standby, lsn, ct);
        var onPrimary = await PrimaryNode.ScalarAsync<long>(TutorialSeed.CountSql, ct);
        var onStandby = await standby.ScalarAsync<long>(TutorialSeed.CountSql, ct);
        TutorialSeed.RequireSameCount(Side, standbyName, onPrimary, onStandby);
    }

    /// <summary>The first postgres process at or below the engine's State.Pid (the container's first process).</summary>
    public Task<int> PrimaryPostmasterPidAsync(CancellationToken ct) =>
        PostmasterKill.OfContainerAsync(engine, PrimaryNode.ContainerId, PrimaryNode.Name, ct);

    public Task StopStandbyAsync(string standbyName, CancellationToken ct) => Standby(standbyName).StopAsync(ct);

    public Task RestartStandbyAsync(string standbyName, CancellationToken ct) => Standby(standbyName).StartAsync(ct);

    public async Task PromoteAsync(string standbyName, CancellationToken ct)
    {
        var standby = Standby(standbyName);
        await PrimaryAdmin.PromoteAsync(Endpoint(standby), ct);
        _formerPrimary = PrimaryNode;
        _primary = standby;
        _standbys.Remove(standbyName);
    }

    /// <summary>
    /// The former primary's container recreated on its volume as a standby of the promoted one: the
    /// image rewinds its data with pg_rewind and creates its slot there by itself.
    /// </summary>
    public async Task RejoinFormerPrimaryAsync(CancellationToken ct)
    {
        var former = _formerPrimary ?? throw new InvalidOperationException("No container primary was killed and replaced.");
        await former.WaitForExitAsync(ct);
        await former.RecreateAsync(
            new Dictionary<string, string?> { ["REPLICATION_ROLE"] = "standby", ["PRIMARY_HOST"] = PrimaryNode.Name }, ct);
        _standbys[former.Name] = former;
        _formerPrimary = null;
        await Probes.WaitUntilStreamingAsync(PrimaryNode, former, ct);
    }

    public async Task RemoveStandbyAsync(string standbyName, CancellationToken ct)
    {
        var standby = Standby(standbyName);
        await standby.RemoveContainerAsync(keepVolume: false, ct);
        _standbys.Remove(standbyName);
        await PrimaryAdmin.DropSlotAsync(Primary, standby.SlotName, ct);
    }

    public async ValueTask DisposeAsync()
    {
        // A standby container still being created would escape the cluster's sweep.
        if (_startingStandby is (_, var pending))
        {
            await pending.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private PostgresNode Standby(string name) =>
        _standbys.TryGetValue(name, out var standby) ? standby : throw new InvalidOperationException($"No container standby named {name}.");

    private static PgEndpoint Endpoint(PostgresNode node) => node.Endpoint with { ApplicationName = BenchmarkApplicationName };
}
