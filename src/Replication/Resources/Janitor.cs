using Docker.DotNet.Models;
using Docker.DotNet;

namespace PostgresReplication;

/// <summary>
/// Removes what this project left behind, found by label alone so it works after a crash:
/// containers first (they hold networks and volumes), then networks and named volumes.
/// </summary>
public static class Janitor
{
    public static async Task<JanitorReport> SweepAsync(DockerEngine engine, RunId? run, CancellationToken ct)
    {
        var filter = ResourceLabels.Filter(run);
        var docker = engine.Client;

        var containers = await docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filter }, ct);
        await Task.WhenAll(containers.Select(c => RemoveContainerAsync(docker, c.ID, ct)));

        // Networks and volumes depend on nothing but the containers: removed side by side (a
        // volume's thousand files take the engine a quarter of a second, a network a sixth).
        // Both are awaited together, so a failure of one is not left unobserved behind the other's.
        var networks = RemoveNetworksAsync(docker, filter, ct);
        var volumes = RemoveVolumesAsync(docker, filter, ct);
        await Task.WhenAll(networks, volumes);
        return new JanitorReport(containers.Count, networks.Result, volumes.Result);
    }

    private static async Task<int> RemoveNetworksAsync(DockerClient docker, IDictionary<string, IDictionary<string, bool>> filter, CancellationToken ct)
    {
        var networks = await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, ct);
        await Task.WhenAll(networks.Select(n => IgnoreMissingAsync(docker.Networks.DeleteNetworkAsync(n.ID, ct))));
        return networks.Count;
    }

    private static async Task<int> RemoveVolumesAsync(DockerClient docker, IDictionary<string, IDictionary<string, bool>> filter, CancellationToken ct)
    {
        var volumes = (await docker.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, ct)).Volumes ?? [];
        await Task.WhenAll(volumes.Select(v => IgnoreMissingAsync(docker.Volumes.RemoveAsync(v.Name, force: false, ct))));
        return volumes.Count;
    }

    /// <summary>
    /// Stops a run's running containers at once with their stop signal (the image's: a fast
    /// shutdown), each killed only after <paramref name="grace"/>; for a long-lived cluster whose
    /// servers should end cleanly before <see cref="SweepAsync"/> removes them. Returns how many it stopped.
    /// </summary>
    public static async Task<int> StopAsync(DockerEngine engine, RunId run, TimeSpan grace, CancellationToken ct)
    {
        var docker = engine.Client;
        var running = await docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = false, Filters = ResourceLabels.Filter(run) }, ct);
        var stop = new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(grace.TotalSeconds) };
        await Task.WhenAll(running.Select(c => IgnoreMissingAsync(docker.Containers.StopContainerAsync(c.ID, stop, ct))));
        return running.Count;
    }

    internal static Task RemoveContainerAsync(DockerClient docker, string id, CancellationToken ct) =>
        IgnoreMissingAsync(docker.Containers.RemoveContainerAsync(
            id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct));

    /// <summary>Something else (a parallel dispose, a user) removed it first: the goal is met.</summary>
    internal static async Task IgnoreMissingAsync(Task removal)
    {
        try
        {
            await removal;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }
}

/// <summary>How many resources a sweep removed; its text is the log line.</summary>
public sealed record JanitorReport(int Containers, int Networks, int Volumes)
{
    public int Total => Containers + Networks + Volumes;

    public override string ToString() =>
        $"removed {Containers} container(s), {Networks} network(s), {Volumes} volume(s)";
}
