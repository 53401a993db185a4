using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// One PostgreSQL server: a container on the cluster's network (hostname and alias = its name),
/// a named volume on the image's data VOLUME, and port 5432 published on a random loopback port.
/// </summary>
public sealed partial class PostgresNode : IProbedServer
{
    private readonly DockerEngine _engine;
    private readonly ClusterOptions _options;
    private readonly string _dataVolumePath;
    private readonly Action<string> _log;
    private Dictionary<string, string> _environment;
    private string? _containerId;
    private CancellationTokenSource? _exitWatchStop;
    private Task<long?>? _exitWatch;

    internal PostgresNode(
        DockerEngine engine, ClusterOptions options, string name, NodeRole role, PostgresNode? upstream,
        string dataVolumePath, Dictionary<string, string> environment, Action<string> log)
    {
        _engine = engine;
        _options = options;
        _dataVolumePath = dataVolumePath;
        _environment = environment;
        _log = log;
        Name = name;
        Role = role;
        Upstream = upstream;
    }

    public string Name { get; }

    /// <summary>What the node is now: set at its creation, changed by a <see cref="RoleChange"/>.</summary>
    public NodeRole Role { get; private set; }

    /// <summary>The node a standby replicates from; null for the primary.</summary>
    public PostgresNode? Upstream { get; private set; }

    public string ContainerName => NodeContainerSpec.ContainerName(_options, Name);

    public string VolumeName => NodeContainerSpec.VolumeName(_options, Name);

    public string ContainerId => _containerId ?? throw new InvalidOperationException($"{Name} has no container.");

    /// <summary>Its slot on the upstream, which is also its application_name in pg_stat_replication.</summary>
    public string SlotName => _environment.TryGetValue("REPLICATION_SLOT", out var slot) ? slot : PostgresReplication.SlotName.FromHostname(Name);

    /// <summary>The loopback port 5432 is published on; read back after every start (a restart may change it).</summary>
    public int HostPort { get; private set; }

    /// <summary>Creates the container, and with it its labelled volume unless that exists, then starts it.</summary>
    internal async Task CreateAndStartAsync(CancellationToken ct)
    {
        var docker = _engine.Client;
        var created = await docker.Containers.CreateContainerAsync(
            NodeContainerSpec.Create(_options, Name, VolumeName, _dataVolumePath, _environment), ct);
        _containerId = created.ID;
        await StartAsync(ct);
    }

    public async Task StartAsync(CancellationToken ct)
    {
        await _engine.Client.Containers.StartContainerAsync(ContainerId, new ContainerStartParameters(), ct);
        WatchForExit();
        await ReadHostPortAsync(ct);
        _log($"{Name} started ({ContainerName}, 127.0.0.1:{HostPort})");
    }

    /// <summary>Stops the server with the image's stop signal (SIGINT: fast shutdown), killing it after 30 s.</summary>
    public Task StopAsync(CancellationToken ct) => StopAsync(TimeSpan.FromSeconds(30), ct);

    public async Task StopAsync(TimeSpan grace, CancellationToken ct)
    {
        StopWatchingForExit();
        var seconds = (uint)Math.Ceiling(grace.TotalSeconds);
        await _engine.Client.Containers.StopContainerAsync(
            ContainerId, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, ct);
        _log($"{Name} stopped");
    }

    /// <summary>
    /// What <c>pg_controldata</c> reads from the node's data while the node is stopped, e.g.
    /// "Database cluster state" and "Latest checkpoint location", from a one-off container on its volume.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ControlDataAsync(CancellationToken ct)
    {
        // The C locale keeps pg_controldata's field names in English, whatever the image's LANG.
        List<string> environment = ["LC_ALL=C"];
        if (_environment.TryGetValue("PGDATA", out var pgdata))
        {
            environment.Add($"PGDATA={pgdata}");
        }

        var result = await OneOffContainer.RunAsync(
            _engine, _options, ["pg_controldata"], [$"{VolumeName}:{_dataVolumePath}"], environment, ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_controldata on {Name}'s volume exited with code {result.ExitCode}: {result.Output.Trim()}");
        }

        return result.Output.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2)
            .DistinctBy(pair => pair[0].Trim())
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim());
    }

    public async Task RestartAsync(CancellationToken ct)
    {
        await StopAsync(ct);
        await StartAsync(ct);
    }

    /// <summary>Removes the container (forced) and keeps the named volume.</summary>
    public Task RemoveContainerAsync(CancellationToken ct) => RemoveContainerAsync(keepVolume: true, ct);

    /// <summary>Removes the container (forced); the named volume too unless <paramref name="keepVolume"/>.</summary>
    public async Task RemoveContainerAsync(bool keepVolume, CancellationToken ct)
    {
        StopWatchingForExit();
        if (_containerId is { } id)
        {
            await Janitor.RemoveContainerAsync(_engine.Client, id, ct);
            _containerId = null;
            HostPort = 0;
        }

        if (!keepVolume)
        {
            await DeleteVolumeAsync(ct);
        }
    }

    /// <summary>
    /// Replaces the container by a new one on the same volume, with the environment changed by
    /// <paramref name="environmentOverrides"/> (a null value removes a variable).
    /// </summary>
    public async Task RecreateAsync(IReadOnlyDictionary<string, string?>? environmentOverrides, CancellationToken ct)
    {
        await RemoveContainerAsync(keepVolume: true, ct);
        foreach (var (key, value) in environmentOverrides ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                _environment.Remove(key);
            }
            else
            {
                _environment[key] = value;
            }
        }

        await CreateAndStartAsync(ct);
    }

    /// <summary>
    /// Records a role change (a promotion, or a rejoin under another upstream): the node's role and
    /// upstream, and the environment a container made for it later gets, so that a later
    /// <see cref="RecreateAsync"/> starts it as what it now is. The running container is left as it is.
    /// </summary>
    internal void RecordRole(PostgresNode? upstream)
    {
        Role = upstream is null ? NodeRole.Primary : NodeRole.Standby;
        Upstream = upstream;
        _environment["REPLICATION_ROLE"] = upstream is null ? "primary" : "standby";
        if (upstream is null)
        {
            _environment.Remove("PRIMARY_HOST");
        }
        else
        {
            _environment["PRIMARY_HOST"] = upstream.Name;
        }
    }

    public async Task DeleteVolumeAsync(CancellationToken ct) =>
        await Janitor.IgnoreMissingAsync(_engine.Client.Volumes.RemoveAsync(VolumeName, force: false, ct));

    /// <summary>The image's HEALTHCHECK verdict: starting, healthy, unhealthy, or none.</summary>
    public async Task<string> HealthStatusAsync(CancellationToken ct)
    {
        var inspected = await _engine.Client.Containers.InspectContainerAsync(ContainerId, ct);
        return inspected.State?.Health?.Status is { Length: > 0 } status ? status : "none";
    }

    /// <summary>When the engine started the container's process (its State.StartedAt), to time what the image itself does.</summary>
    public async Task<DateTimeOffset> StartedAtAsync(CancellationToken ct)
    {
        var inspected = await _engine.Client.Containers.InspectContainerAsync(ContainerId, ct);
        // RFC 3339 with nanoseconds: .NET reads at most seven fractional digits.
        var text = inspected.State?.StartedAt ?? "";
        var trimmed = System.Text.RegularExpressions.Regex.Replace(text, @"(\.\d{7})\d+", "$1");
        return DateTimeOffset.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var started)
            ? started
            : throw new InvalidOperationException($"the engine gave {Name}'s start time as '{text}', which is not a time");
    }

    /// <summary>Waits until the container stops and returns its exit code.</summary>
    public async Task<long> WaitForExitAsync(CancellationToken ct) =>
        (await _engine.Client.Containers.WaitContainerAsync(ContainerId, ct)).StatusCode;

    /// <summary>The last <paramref name="tail"/> lines of stdout and stderr, in order.</summary>
    public Task<string> LogsAsync(int tail, CancellationToken ct) =>
        ContainerLogs.ReadAsync(_engine.Client, ContainerId, tail, ct);

    /// <summary>
    /// Fails a wait at once when the container has stopped unexpectedly, with its exit code and last
    /// log lines. Costs nothing while it runs: the engine's wait call is already pending.
    /// </summary>
    public async Task ThrowIfExitedAsync(CancellationToken ct)
    {
        if (_exitWatch is { IsCompleted: true } watch && await watch is { } exitCode)
        {
            var log = _containerId is null ? "" : await LogsAsync(20, ct);
            throw new ContainerExitedException(Name, exitCode, ContainerLogs.LastLines(log, 20));
        }
    }

    /// <summary>Runs a command in the node's container (docker exec), as <paramref name="user"/> ("" for the image's).</summary>
    internal Task<ExecResult> ExecAsync(IReadOnlyList<string> command, string user, CancellationToken ct) =>
        ContainerExec.RunAsync(_engine, ContainerId, command, user, ct);

    /// <summary>The default deadline for waits on this node (from the cluster's options).</summary>
    public TimeSpan WaitTimeout => _options.WaitTimeout;

    public override string ToString() => Name;

    private async Task ReadHostPortAsync(CancellationToken ct)
    {
        var inspected = await _engine.Client.Containers.InspectContainerAsync(ContainerId, ct);
        // No binding means the container already stopped: the exit watch reports that to the waits.
        HostPort = inspected.NetworkSettings?.Ports?.TryGetValue(NodeContainerSpec.PostgresPort, out var bindings) == true
                   && bindings is [var binding, ..] && int.TryParse(binding.HostPort, out var port)
            ? port
            : 0;
    }

    private void WatchForExit()
    {
        StopWatchingForExit();
        _exitWatchStop = new CancellationTokenSource();
        _exitWatch = ExitCodeOrNullAsync(ContainerId, _exitWatchStop.Token);
    }

    private void StopWatchingForExit()
    {
        _exitWatchStop?.Cancel();
        _exitWatchStop?.Dispose();
        _exitWatchStop = null;
        _exitWatch = null;
    }

    /// <summary>Null when the watch was called off (an intended stop) or the engine call failed.</summary>
    private async Task<long?> ExitCodeOrNullAsync(string containerId, CancellationToken ct)
    {
        try
        {
            return (await _engine.Client.Containers.WaitContainerAsync(containerId, ct)).StatusCode;
        }
        catch (Exception e) when (e is OperationCanceledException or Docker.DotNet.DockerApiException or HttpRequestException or IOException)
        {
            return null;
        }
    }
}

public enum NodeRole
{
    Primary,
    Standby,
}
