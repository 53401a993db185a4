using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// One container of an <see cref="HaCluster"/>: an etcd member, a Patroni member or the HAProxy.
/// It starts, stops, and fails the ways a fault-injection run needs: killed, paused, cut off.
/// </summary>
public sealed class HaNode
{
    private readonly DockerEngine _engine;
    private readonly HaClusterOptions _options;
    private readonly string _dataVolumePath;
    private readonly Action<string> _log;
    private readonly Dictionary<string, int> _hostPorts = [];
    private string? _containerId;

    internal HaNode(DockerEngine engine, HaClusterOptions options, HaRole role, string name, string dataVolumePath, Action<string> log)
    {
        _engine = engine;
        _options = options;
        Role = role;
        Name = name;
        _dataVolumePath = dataVolumePath;
        _log = log;
    }

    public string Name { get; }

    public HaRole Role { get; }

    public string ContainerName => HaContainerSpec.ContainerName(_options, Name);

    public string ContainerId => _containerId ?? throw new InvalidOperationException($"{Name} has no container.");

    /// <summary>PostgreSQL's port on the host: the member's own server, or HAProxy's read-write port.</summary>
    public PgEndpoint Endpoint => EndpointOn(HaContainerSpec.PostgresPort);

    /// <summary>HAProxy's read-only port (the streaming replicas).</summary>
    public PgEndpoint ReadOnlyEndpoint => EndpointOn(HaContainerSpec.ReadOnlyPort);

    public PatroniRestApi RestApi => new(HostPort(HaContainerSpec.RestApiPort), _options.RestApiUser, _options.RestApiPassword);

    internal async Task CreateAndStartAsync(CancellationToken ct)
    {
        var created = await _engine.Client.Containers.CreateContainerAsync(
            HaContainerSpec.Create(_options, Role, Name, _dataVolumePath), ct);
        _containerId = created.ID;
        await StartAsync(ct);
    }

    public async Task StartAsync(CancellationToken ct)
    {
        await _engine.Client.Containers.StartContainerAsync(ContainerId, new ContainerStartParameters(), ct);
        await ReadHostPortsAsync(ct);
        _log($"{Name} started ({ContainerName})");
    }

    /// <summary>Stops with the image's stop signal: Patroni stops PostgreSQL and hands the leader key over.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken ct)
    {
        await _engine.Client.Containers.StopContainerAsync(
            ContainerId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(grace.TotalSeconds) }, ct);
        _log($"{Name} stopped");
    }

    /// <summary>SIGKILL to the whole container, as a lost host: nothing hands over, the leader key must expire.</summary>
    public Task KillAsync(CancellationToken ct) => Faults.KillAsync(ct);

    /// <summary>Freezes every process (docker pause), as a stalled host.</summary>
    public Task PauseAsync(CancellationToken ct) => Faults.PauseAsync(ct);

    public Task UnpauseAsync(CancellationToken ct) => Faults.UnpauseAsync(ct);

    /// <summary>Cuts the container off the cluster's network (from etcd and every member); it keeps running.</summary>
    public async Task DisconnectAsync(CancellationToken ct)
    {
        await Faults.DisconnectAsync(_options.NetworkName, ct);
        _hostPorts.Clear();
    }

    /// <summary>Connects it back under its name; the engine publishes its ports anew.</summary>
    public async Task ReconnectAsync(CancellationToken ct)
    {
        await Faults.ReconnectAsync(_options.NetworkName, ct);
        await ReadHostPortsAsync(ct);
        _log($"{Name} reconnected to {_options.NetworkName}");
    }

    /// <summary>Runs a command in the container as <paramref name="user"/>; its exit code and output.</summary>
    public async Task<(long ExitCode, string Output)> ExecAsync(IReadOnlyList<string> command, string user, CancellationToken ct)
    {
        var result = await ContainerExec.RunAsync(_engine, ContainerId, command, user, ct);
        return (result.ExitCode, result.Stdout + result.Stderr);
    }

    public async Task<bool> IsRunningAsync(CancellationToken ct) =>
        (await _engine.Client.Containers.InspectContainerAsync(ContainerId, ct)).State?.Running == true;

    public override string ToString() => Name;

    private ContainerFaults Faults => new(_engine, ContainerId, Name, _log);

    private PgEndpoint EndpointOn(string port) =>
        new(HostPort(port), _options.SuperuserName, _options.SuperuserPassword, _options.Database)
        {
            ApplicationName = $"pgrepl-ha-{Name}",
        };

    private int HostPort(string port) =>
        _hostPorts.TryGetValue(port, out var hostPort)
            ? hostPort
            : throw new InvalidOperationException($"{Name} publishes no {port} now (stopped or disconnected).");

    private async Task ReadHostPortsAsync(CancellationToken ct)
    {
        var inspected = await _engine.Client.Containers.InspectContainerAsync(ContainerId, ct);
        _hostPorts.Clear();
        foreach (var port in HaContainerSpec.PublishedPorts(Role))
        {
            if (inspected.NetworkSettings?.Ports?.TryGetValue(port, out var bindings) == true
                && bindings is [var binding, ..] && int.TryParse(binding.HostPort, out var hostPort))
            {
                _hostPorts[port] = hostPort;
            }
        }
    }
}
