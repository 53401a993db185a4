
namespace PostgresReplication;

/// <summary>
/// The engine as a swarm manager for one scenario, left as it was found. An engine in no swarm
/// becomes a one-node swarm on 127.0.0.1 and leaves it again on dispose, and the docker_gwbridge
/// network that swarm mode creates is removed; an engine that already manages a swarm is used as
/// it is, and only the node labels added here are taken off. Swarm mode belongs to the whole
/// engine, so two runs on one engine (CI runs scenarios of several versions at once) take it in
/// turn: a lock file is held from enter to dispose, else one run's leave would end the other's stack.
/// </summary>
public sealed class SwarmMode : IAsyncDisposable
{
    private const string GatewayBridge = "docker_gwbridge";
    private readonly DockerEngine _engine;
    private readonly Action<string> _log;
    private readonly bool _initialisedHere;
    private readonly bool _gatewayBridgeExisted;
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "postgres-replication-swarm.lock");
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(20);
    private readonly List<string> _addedLabels = [];
    private FileStream? _turn;

    private SwarmMode(DockerEngine engine, Action<string> log, string nodeId, bool initialisedHere, bool gatewayBridgeExisted)
    {
        _engine = engine;
        _log = log;
        NodeId = nodeId;
        _initialisedHere = initialisedHere;
        _gatewayBridgeExisted = gatewayBridgeExisted;
    }

    public string NodeId { get; }

    public static async Task<SwarmMode> EnterAsync(DockerEngine engine, Action<string> log, CancellationToken ct)
    {
        var turn = await TakeTurnAsync(log, ct);
        try
        {
            var swarm = await EnterInTurnAsync(engine, log, ct);
            swarm._turn = turn;
            return swarm;
        }
        catch
        {
            await turn.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The lock file, held exclusively (an advisory flock on Unix). It is opened for reading only, so
    /// a file another user created is shared too; the lock goes with the process if it dies.
    /// </summary>
    private static async Task<FileStream> TakeTurnAsync(Action<string> log, CancellationToken ct)
    {
        var waited = false;
        return await Wait.UntilAsync(
            $"the engine's swarm mode, which another run holds ({LockPath})",
            _ =>
            {
                try
                {
                    return Task.FromResult(Probe<FileStream>.Done(
                        new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None)));
                }
                catch (IOException) when (File.Exists(LockPath))
                {
                    if (!waited)
                    {
                        log("another run on this engine is in swarm mode: waiting for its turn to end");
                        waited = true;
                    }

                    return Task.FromResult(Probe<FileStream>.NotYet("held by another process"));
                }
                catch (UnauthorizedAccessException e)
                {
                    throw new WaitAbortedException($"{LockPath} cannot be opened ({e.Message}); remove it or give this user read access", e);
                }
            },
            LockTimeout,
            ct);
    }

    private static async Task<SwarmMode> EnterInTurnAsync(DockerEngine engine, Action<string> log, CancellationToken ct)
    {
        var (state, isManager) = await StateAsync(ct);
        if (state == "active")
        {
            if (!isManager)
            {
                throw new InvalidOperationException("The engine is a swarm worker; deploying a stack needs a manager.");
            }

            log("the engine already manages a swarm: using it as it is");
            return new SwarmMode(engine, log, await NodeIdAsync(ct), initialisedHere: false, gatewayBridgeExisted: true);
        }

        if (state != "inactive")
        {
            throw new InvalidOperationException($"The engine's swarm state is '{state}'; expected inactive or active.");
        }

        var gatewayBridgeExisted = await NetworkExistsAsync(engine, GatewayBridge, ct);
        await DockerCli.RunAsync(["swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:2377"], ct);
        log("the engine was in no swarm: initialised a one-node swarm on 127.0.0.1");
        return new SwarmMode(engine, log, await NodeIdAsync(ct), initialisedHere: true, gatewayBridgeExisted);
    }

    /// <summary>Adds node labels (name=value) to this node; those it did not have are removed again on dispose.</summary>
    public async Task AddNodeLabelsAsync(IReadOnlyList<string> labels, CancellationToken ct)
    {
        var existing = await DockerCli.RunAsync(["node", "inspect", "--format", "{{json .Spec.Labels}}", NodeId], ct);
        var present = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(existing) ?? [];
        foreach (var label in labels)
        {
            var name = label.Split('=', 2)[0];
            if (!present.ContainsKey(name))
            {
                _addedLabels.Add(name);
            }

            await DockerCli.RunAsync(["node", "update", "--label-add", label, NodeId], ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await LeaveAsync();
        }
        finally
        {
            if (_turn is not null)
            {
                await _turn.DisposeAsync();
            }
        }
    }

    private async Task LeaveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var ct = timeout.Token;
        if (!_initialisedHere)
        {
            foreach (var name in _addedLabels)
            {
                await DockerCli.RunAsync(["node", "update", "--label-rm", name, NodeId], ct);
            }

            return;
        }

        await DockerCli.RunAsync(["swarm", "leave", "--force"], ct);
        if (!_gatewayBridgeExisted)
        {
            // Its last endpoints go away with the swarm's containers, a moment after the leave.
            await Wait.UntilAsync(
                $"{GatewayBridge} to be removed after leaving the swarm",
                async token =>
                {
                    await Janitor.IgnoreMissingAsync(_engine.Client.Networks.DeleteNetworkAsync(GatewayBridge, token));
                    return true;
                },
                TimeSpan.FromSeconds(30),
                ct);
        }

        _log("left the swarm: the engine is back in no swarm");
    }

    private static async Task<(string State, bool IsManager)> StateAsync(CancellationToken ct)
    {
        var line = (await DockerCli.RunAsync(["info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"], ct)).Trim();
        var parts = line.Split(' ');
        return (parts[0], parts.Length > 1 && parts[1] == "true");
    }

    private static async Task<string> NodeIdAsync(CancellationToken ct) =>
        (await DockerCli.RunAsync(["info", "--format", "{{.Swarm.NodeID}}"], ct)).Trim();

    private static async Task<bool> NetworkExistsAsync(DockerEngine engine, string name, CancellationToken ct) =>
        (await engine.Client.Networks.ListNetworksAsync(new Docker.DotNet.Models.NetworksListParameters(), ct))
        .Any(n => n.Name == name);
}
