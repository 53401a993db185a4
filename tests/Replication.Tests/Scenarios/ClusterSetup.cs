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
        // Started at once: each container start costs the engine about 0.4 s, and a standby needs
        // only its upstream's name, since the image waits for the primary itself.
        var primary = cluster.Register("primary", NodeRole.Primary, upstream: null, overrides: null);
        var standbys = standbyNames.Select(name => cluster.Register(name, NodeRole.Standby, primary, overrides: null)).ToList();
        await Task.WhenAll(standbys.Prepend(primary).Select(n => n.CreateAndStartAsync(ct)));
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

    /// <summary>
    /// A failover by hand: "primary" and "standby-1" streaming, table <c>events</c> with row 1 on both,
    /// the primary killed, standby-1 promoted and row 2 written on it alone.
    /// </summary>
    public static async Task<(PostgresNode LostPrimary, PostgresNode Promoted)> FailOverByHandAsync(
        ReplicationCluster cluster, ITestOutputHelper output, CancellationToken ct)
    {
        var (primary, standby) = await StartWithStandbyAsync(cluster, output, ct);
        await primary.ExecuteAsync("CREATE TABLE events (id int PRIMARY KEY); INSERT INTO events VALUES (1)", ct);
        await WalReplay.CatchUpAsync(primary, standby, ct);
        await primary.KillAsync(ct);
        Assert.True(await standby.ScalarAsync<bool>("SELECT pg_promote()", ct), "pg_promote() did not finish");
        await standby.ExecuteAsync("INSERT INTO events VALUES (2)", ct);
        return (primary, standby);
    }
}
