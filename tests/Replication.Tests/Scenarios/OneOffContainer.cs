using Docker.DotNet.Models;
using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>
/// A container of the cluster's image that runs one command and exits, as <c>docker run --rm IMAGE CMD</c>
/// does: to run something other than the server, or to change a node's volume while the node is stopped.
/// It carries the cluster's run labels, so the cluster's disposal removes it whatever happens.
/// </summary>
internal static class OneOffContainer
{
    /// <param name="volumes">Named volumes to mount, as "VOLUME:PATH".</param>
    public static async Task<ExecResult> RunAsync(
        ReplicationCluster cluster, IReadOnlyList<string> command, IReadOnlyList<string> volumes, CancellationToken ct)
    {
        var docker = cluster.Engine.Client;
        var created = await docker.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = cluster.Options.Image,
                Cmd = [.. command],
                Labels = ResourceLabels.ForRun(cluster.RunId),
                HostConfig = new HostConfig { Binds = [.. volumes], NetworkMode = "none" },
            },
            ct);
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
        var exit = await docker.Containers.WaitContainerAsync(created.ID, ct);
        var log = await ContainerLogs.ReadAsync(docker, created.ID, 1000, ct);
        await Janitor.RemoveContainerAsync(docker, created.ID, ct);
        return new ExecResult(exit.StatusCode, log, "");
    }

    /// <summary>Runs a bash script as root against a stopped node's volume, mounted where the node has it.</summary>
    public static async Task ChangeVolumeAsync(
        ReplicationCluster cluster, PostgresNode node, string volumePath, string script, CancellationToken ct)
    {
        var result = await RunAsync(cluster, ["bash", "-Eeuo", "pipefail", "-c", script], [$"{node.VolumeName}:{volumePath}"], ct);
        Assert.True(result.ExitCode == 0, $"changing {node.Name}'s volume failed ({result.ExitCode}): {result.Stdout}");
    }
}
