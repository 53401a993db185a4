using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>Planned switchovers with <see cref="RoleChange"/>: every row kept, every volume kept, nothing cloned again.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class SwitchoverTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public Task Switchover_there_and_back_twice_keeps_every_row_without_a_new_clone() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary and two standbys, each cloned once, and the system identifier they share
        var (primary, standbys) = await ClusterSetup.StartWithStandbysAsync(cluster, output, ["standby-1", "standby-2"], ct);
        var topology = new Topology(primary, standbys);
        var system = await SystemIdentifierAsync(primary, ct);
        await primary.ExecuteAsync("CREATE TABLE transfers (id int PRIMARY KEY, round int)", ct);

        // When the primary commits 100 rows and the cluster switches over to standby-1, then back
        // to primary, twice
        string[] targets = ["standby-1", "primary", "standby-1", "primary"];
        for (var round = 0; round < targets.Length; round++)
        {
            await topology.Primary.ExecuteAsync(
                $"INSERT INTO transfers SELECT g, {round} FROM generate_series({(round * 100) + 1}, {(round + 1) * 100}) g", ct);
            var result = await RoleChange.SwitchoverAsync(topology, targets[round], output.WriteLine, ct);
            topology = result.Topology;

            // Then each time the target is the primary, every other node a standby that resumed
            // from its own data, none cloned, all of the same system
            Assert.Equal(targets[round], topology.Primary.Name);
            Assert.False(await topology.Primary.IsInRecoveryAsync(ct));
            foreach (var standby in topology.Standbys)
            {
                Assert.True(await standby.IsInRecoveryAsync(ct), $"{standby.Name} is not in recovery after round {round + 1}");
                var log = await standby.LogsAsync(500, ct);
                Assert.DoesNotContain("cloning", log, StringComparison.Ordinal);
                Assert.Contains("resuming as a standby", log, StringComparison.Ordinal);
            }

            foreach (var node in topology.Nodes)
            {
                Assert.Equal(system, await SystemIdentifierAsync(node, ct));
            }
        }

        // And every node holds the same 400 rows, and the final primary's timeline counts four promotions
        await WalReplay.CatchUpAsync(topology.Primary, topology.Standbys, ct);
        var expected = await TableChecksum.OfAsync(topology.Primary, "transfers", ct);
        Assert.StartsWith("400 rows", expected);
        foreach (var standby in topology.Standbys)
        {
            Assert.Equal(expected, await TableChecksum.OfAsync(standby, "transfers", ct));
        }

        Assert.Equal(5, await TimelineAsync(topology.Primary, ct));
    }, TimeSpan.FromMinutes(4));

    private static Task<string?> SystemIdentifierAsync(PostgresNode node, CancellationToken ct) =>
        node.ScalarAsync<string>("SELECT system_identifier::text FROM pg_control_system()", ct);

    /// <summary>The timeline the server writes WAL on now (pg_control's is only updated at the next checkpoint).</summary>
    private static async Task<int> TimelineAsync(PostgresNode primary, CancellationToken ct) =>
        Convert.ToInt32((await primary.ScalarAsync<string>("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)", ct))!, 16);
}
