namespace PostgresReplication;

/// <summary>What a failover starts from: a server killed without a shutdown, a node cut off by the network, or one too slow to answer.</summary>
public sealed partial class PostgresNode
{
    private ContainerFaults Faults => new(_engine, ContainerId, Name, _log);

    /// <summary>
    /// Kills the server without a shutdown (SIGKILL), as a lost host would, and returns once the
    /// container has stopped. A container that is not running is left as it is.
    /// </summary>
    public async Task KillAsync(CancellationToken ct)
    {
        StopWatchingForExit();
        await Faults.KillAsync(ct);
    }

    /// <summary>Cuts the node off the cluster's network, as a network partition would; the server keeps running.</summary>
    public async Task DisconnectAsync(CancellationToken ct)
    {
        await Faults.DisconnectAsync(_options.NetworkName, ct);
        HostPort = 0;
    }

    /// <summary>Connects the node back under its name; the engine publishes its port anew, on another host port.</summary>
    public async Task ReconnectAsync(CancellationToken ct)
    {
        await Faults.ReconnectAsync(_options.NetworkName, ct);
        await ReadHostPortAsync(ct);
        _log($"{Name} reconnected to {_options.NetworkName} (127.0.0.1:{HostPort})");
    }

    /// <summary>Freezes every process of the node (docker pause), as an overloaded or stalled host would: connections open but nothing answers.</summary>
    public Task PauseAsync(CancellationToken ct) => Faults.PauseAsync(ct);

    public Task UnpauseAsync(CancellationToken ct) => Faults.UnpauseAsync(ct);
}
