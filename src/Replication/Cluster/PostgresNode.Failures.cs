using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>What a failover starts from: a server killed without a shutdown, a node cut off by the network, or one too slow to answer.</summary>
public sealed partial class PostgresNode
{
    /// <summary>
    /// Kills the server without a shutdown (SIGKILL), as a lost host would, and returns once the
    /// container has stopped. A container that is not running is left as it is.
    /// </summary>
    public async Task KillAsync(CancellationToken ct)
    {
        StopWatchingForExit();
        try
        {
            await _engine.Client.Containers.KillContainerAsync(ContainerId, new ContainerKillParameters { Signal = "SIGKILL" }, ct);
        }
        catch (Docker.DotNet.DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            _log($"{Name} was not running");
            return;
        }

        await _engine.Client.Containers.WaitContainerAsync(ContainerId, ct);
        _log($"{Name} killed (SIGKILL)");
    }

    /// <summary>Cuts the node off the cluster's network, as a network partition would; the server keeps running.</summary>
    public async Task DisconnectAsync(CancellationToken ct)
    {
        await _engine.Client.Networks.DisconnectNetworkAsync(
            _options.NetworkName, new NetworkDisconnectParameters { Container = ContainerId, Force = true }, ct);
        HostPort = 0;
        _log($"{Name} disconnected from {_options.NetworkName}");
    }

    /// <summary>Connects the node back under its name; the engine publishes its port anew, on another host port.</summary>
    public async Task ReconnectAsync(CancellationToken ct)
    {
        await _engine.Client.Networks.ConnectNetworkAsync(
            _options.NetworkName,
            new NetworkConnectParameters { Container = ContainerId, EndpointConfig = new EndpointSettings { Aliases = [Name] } },
            ct);
        await ReadHostPortAsync(ct);
        _log($"{Name} reconnected to {_options.NetworkName} (127.0.0.1:{HostPort})");
    }

    /// <summary>Freezes every process of the node (docker pause), as an overloaded or stalled host would: connections open but nothing answers.</summary>
    public async Task PauseAsync(CancellationToken ct)
    {
        await _engine.Client.Containers.PauseContainerAsync(ContainerId, ct);
        _log($"{Name} paused");
    }

    public async Task UnpauseAsync(CancellationToken ct)
    {
        await _engine.Client.Containers.UnpauseContainerAsync(ContainerId, ct);
        _log($"{Name} unpaused");
    }
}
