using System.Text;
using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>For a failure report: the last lines of each container, headed by its node name and state.</summary>
public static class ContainerLogDump
{
    public static Task<string> ForClusterAsync(ReplicationCluster cluster, int tail, CancellationToken ct) =>
        ForRunAsync(cluster.Engine, cluster.RunId, tail, ct, cluster.Nodes.Select(n => n.ContainerName).ToHashSet());

    /// <summary>Every container of a run (all clusters in it), found by label.</summary>
    public static async Task<string> ForRunAsync(
        DockerEngine engine, RunId run, int tail, CancellationToken ct, IReadOnlySet<string>? onlyContainerNames = null)
    {
        var containers = await engine.Client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = ResourceLabels.Filter(run) }, ct);
        var dump = new StringBuilder();
        foreach (var container in containers.OrderBy(c => c.Created))
        {
            var name = container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID;
            if (onlyContainerNames is not null && !onlyContainerNames.Contains(name))
            {
                continue;
            }

            var node = container.Labels?.TryGetValue(ResourceLabels.Node, out var label) == true ? label : name;
            dump.AppendLine($"----- {node} ({name}: {container.Status}) last {tail} lines -----");
            try
            {
                dump.AppendLine((await ContainerLogs.ReadAsync(engine.Client, container.ID, tail, ct)).TrimEnd());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                dump.AppendLine($"(logs unavailable: {e.Message})");
            }
        }

        return dump.Length == 0 ? $"(no containers of run {run})" : dump.ToString();
    }
}
