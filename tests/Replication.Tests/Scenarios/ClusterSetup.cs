using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>The starting points scenarios share: a streaming cluster, or a standby that exists before its primary.</summary>
internal static class ClusterSetup
{
    /// <summary>A primary named "primary" and one standby "standby-1", streaming.</summary>
    public static async Task<(PostgresNode Primary, PostgresNode Standby)> StartWithStandbyAsync(
        ReplicationCluster cluster, ITestOutputHelper output, CancellationToken ct)
    {
        var (primary, standbys) = await StartWithStandbysAsync(cluster, output, ["standby-1"], ct);
        return (primary, standbys[0]);
    }

    /// <summary>Starts a primary named "primary" and standbys of it together; returns once every standby streams.</summary>
    public static async Task<(PostgresNode Primary, IReadOnlyList<PostgresNode> Standbys)> StartWithStandbysAsync(
        ReplicationCluster cluster, ITestOutputHelper output, IReadOnlyList<string> standbyNames, CancellationToken ct)
    {
        var nodes = await cluster.StartPrimaryWithStandbysAsync("primary", standbyNames, ct);
        var primary = nodes[0];
        var standbys = nodes.Skip(1).ToList();
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        foreach (var standby in standbys)
        {
            output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        }

        return (primary, standbys);
    }

    /// <summary>
    /// A standby whose container starts while its primary does not exist. The library creates a node
    /// only by starting it, so the primary is created, removed with its volume before the standby
    /// exists, and created afresh (empty volume, first start) by <c>primary.RecreateAsync</c> later.
    /// </summary>
    public static async Task<(PostgresNode AbsentPrimary, PostgresNode Standby)> AddStandbyBeforeItsPrimaryAsync(
        ReplicationCluster cluster, string standbyName, CancellationToken ct)
    {
        var primary = await cluster.AddPrimaryAsync(ct);
        await primary.RemoveContainerAsync(keepVolume: false, ct);
        var standby = await cluster.AddStandbyAsync(standbyName, primary, ct);
        return (primary, standby);
    }
}
