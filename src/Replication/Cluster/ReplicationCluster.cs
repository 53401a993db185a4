using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// A primary and its standbys on one user-defined bridge network (DNS by node name). Disposing
/// removes its containers, volumes and network; after a crash the <see cref="Janitor"/> finds
/// them by label instead.
/// </summary>
public sealed class ReplicationCluster : IAsyncDisposable
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(60);
    private readonly List<PostgresNode> _nodes = [];
    private readonly Lock _nodesLock = new();
    private readonly string _dataVolumePath;
    private readonly Action<string> _log;

    private ReplicationCluster(DockerEngine engine, ClusterOptions options, string dataVolumePath, Action<string> log)
    {
        Engine = engine;
        Options = options;
        _dataVolumePath = dataVolumePath;
        _log = log;
    }

    public DockerEngine Engine { get; }

    public ClusterOptions Options { get; }

    public RunId RunId => Options.RunId;

    public string NetworkName => Options.NetworkName;

    public IReadOnlyList<PostgresNode> Nodes
    {
        get
        {
            lock (_nodesLock)
            {
                return [.. _nodes];
            }
        }
    }

    /// <summary>Reads where the image keeps its data, then creates the cluster's network.</summary>
    public static async Task<ReplicationCluster> CreateAsync(
        DockerEngine engine, ClusterOptions options, Action<string>? log, CancellationToken ct)
    {
        var layout = await new ImageInspector(engine).LayoutAsync(options.Image, ct);
        await engine.Client.Networks.CreateNetworkAsync(
            new NetworksCreateParameters
            {
                Name = options.NetworkName,
                Driver = "bridge",
                Labels = ResourceLabels.ForRun(options.RunId),
            },
            ct);
        return new ReplicationCluster(engine, options, layout.DataVolumePath, log ?? (_ => { }));
    }

    /// <summary>Creates and starts the primary; returns once the container runs (not yet accepting connections).</summary>
    public Task<PostgresNode> AddPrimaryAsync(CancellationToken ct) => AddPrimaryAsync("primary", null, ct);

    public Task<PostgresNode> AddPrimaryAsync(
        string name, IReadOnlyDictionary<string, string?>? environmentOverrides, CancellationToken ct) =>
        AddNodeAsync(name, NodeRole.Primary, upstream: null, environmentOverrides, ct);

    /// <summary>
    /// Creates and starts a standby of <paramref name="upstream"/>. It may start before its upstream
    /// is ready: the image waits for it (PRIMARY_WAIT_TIMEOUT), so primary and standbys can start together.
    /// </summary>
    public Task<PostgresNode> AddStandbyAsync(string name, PostgresNode upstream, CancellationToken ct) =>
        AddStandbyAsync(name, upstream, null, ct);

    public Task<PostgresNode> AddStandbyAsync(
        string name, PostgresNode upstream, IReadOnlyDictionary<string, string?>? environmentOverrides, CancellationToken ct) =>
        AddNodeAsync(name, NodeRole.Standby, upstream, environmentOverrides, ct);

    public Task<string> DumpLogsAsync(int tail, CancellationToken ct) => ContainerLogDump.ForClusterAsync(this, tail, ct);

    /// <summary>
    /// Removes everything carrying this cluster's run id (its network name includes the run id, so a
    /// run has one cluster): also a container whose create call was cut off before it answered.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        // Runs after failures and Ctrl-C too, so it takes its own deadline rather than a cancelled token.
        using var timeout = new CancellationTokenSource(DisposeTimeout);
        var report = await Janitor.SweepAsync(Engine, RunId, timeout.Token);
        _log($"cluster {NetworkName} removed: {report}");
    }

    private async Task<PostgresNode> AddNodeAsync(
        string name, NodeRole role, PostgresNode? upstream, IReadOnlyDictionary<string, string?>? overrides, CancellationToken ct)
    {
        var node = Register(name, role, upstream, overrides);
        await node.CreateAndStartAsync(ct);
        return node;
    }

    /// <summary>Adds a node without starting it (tests start several at once).</summary>
    internal PostgresNode Register(
        string name, NodeRole role, PostgresNode? upstream, IReadOnlyDictionary<string, string?>? overrides)
    {
        var environment = NodeContainerSpec.Environment(Options, name, role, upstream?.Name, overrides);
        var node = new PostgresNode(Engine, Options, name, role, upstream, _dataVolumePath, environment, _log);
        lock (_nodesLock)
        {
            if (_nodes.Any(n => n.Name == name))
            {
                throw new ArgumentException($"The cluster already has a node named {name}.", nameof(name));
            }

            // Registered before anything is created, so disposal removes whatever the creation left.
            _nodes.Add(node);
        }

        return node;
    }
}
