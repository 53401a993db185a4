using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// A container of the cluster's image that runs one command and exits, as <c>docker run --rm IMAGE CMD</c>
/// does: to read a stopped node's volume (pg_controldata), or to run something other than the server.
/// It carries the run's labels, so the cluster's disposal removes it whatever happens.
/// </summary>
public static class OneOffContainer
{
    /// <param name="volumes">Named volumes to mount, as "VOLUME:PATH".</param>
    public static Task<OneOffResult> RunAsync(
        ReplicationCluster cluster, IReadOnlyList<string> command, IReadOnlyList<string> volumes, CancellationToken ct) =>
        RunAsync(cluster.Engine, cluster.Options, command, volumes, environment: [], ct);

    internal static async Task<OneOffResult> RunAsync(
        DockerEngine engine, ClusterOptions options, IReadOnlyList<string> command, IReadOnlyList<string> volumes,
        IReadOnlyList<string> environment, CancellationToken ct)
    {
        var docker = engine.Client;
        var created = await docker.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = options.Image,
                Cmd = [.. command],
                Env = [.. environment],
                Labels = ResourceLabels.ForRun(options.RunId),
                HostConfig = new HostConfig { Binds = [.. volumes], NetworkMode = "none" },
            },
            ct);
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
        var exit = await docker.Containers.WaitContainerAsync(created.ID, ct);
        var log = await ContainerLogs.ReadAsync(docker, created.ID, 1000, ct);
        await Janitor.RemoveContainerAsync(docker, created.ID, ct);
        return new OneOffResult(exit.StatusCode, log);
    }
}

/// <summary>How a one-off container ended: its exit code and its stdout and stderr, in order.</summary>
public sealed record OneOffResult(long ExitCode, string Output);
