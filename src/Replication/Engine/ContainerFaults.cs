using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// The ways a container fails in the scenarios and the fault-injection run, for a replication
/// node and an HA member alike: killed as a lost host, frozen as a stalled one, cut off the network
/// as a partition would. Each says what it did in the caller's log under the caller's name.
/// </summary>
internal sealed class ContainerFaults(DockerEngine engine, string containerId, string name, Action<string> log)
{
    /// <summary>SIGKILL, returning once the container has stopped; false when it was not running (left as it is).</summary>
    public async Task<bool> KillAsync(CancellationToken ct)
    {
        try
        {
            await engine.Client.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "SIGKILL" }, ct);
        }
        catch (Docker.DotNet.DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            log($"{name} was not running");
            return false;
        }

        await engine.Client.Containers.WaitContainerAsync(containerId, ct);
        log($"{name} killed (SIGKILL)");
        return true;
    }

    /// <summary>Freezes every process of the container (docker pause): connections stay open but nothing answers.</summary>
    public async Task PauseAsync(CancellationToken ct)
    {
        await engine.Client.Containers.PauseContainerAsync(containerId, ct);
        log($"{name} paused");
    }

    public async Task UnpauseAsync(CancellationToken ct)
    {
        await engine.Client.Containers.UnpauseContainerAsync(containerId, ct);
        log($"{name} unpaused");
    }

    /// <summary>Off <paramref name="network"/>; the container keeps running. Its published ports go with it.</summary>
    public async Task DisconnectAsync(string network, CancellationToken ct)
    {
        await engine.Client.Networks.DisconnectNetworkAsync(
            network, new NetworkDisconnectParameters { Container = containerId, Force = true }, ct);
        log($"{name} disconnected from {network}");
    }

    /// <summary>Back on <paramref name="network"/> under its name; the engine publishes its ports anew, on other host ports.</summary>
    public async Task ReconnectAsync(string network, CancellationToken ct)
    {
        await engine.Client.Networks.ConnectNetworkAsync(
            network,
            new NetworkConnectParameters { Container = containerId, EndpointConfig = new EndpointSettings { Aliases = [name] } },
            ct);
    }
}
