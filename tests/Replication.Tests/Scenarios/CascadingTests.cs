using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>A standby whose PRIMARY_HOST is another standby.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class CascadingTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public Task Standby_of_a_standby_receives_the_primarys_rows() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given standby-2 cloning and streaming from standby-1, itself a standby of the primary
        var (primary, standby1) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        var standby2 = await cluster.AddStandbyAsync("standby-2", standby1, ct);
        output.WriteLine((await Probes.WaitUntilStreamingAsync(standby1, standby2, ct)).ToString());

        // When the primary commits rows
        await primary.ExecuteAsync("CREATE TABLE parcels (id int, note text); INSERT INTO parcels SELECT g, md5(g::text) FROM generate_series(1, 1000) g;", ct);

        // Then standby-2 replays them, received from standby-1 and not from the primary
        await WalReplay.CatchUpAsync(primary, [standby1, standby2], ct);
        var expected = await TableChecksum.OfAsync(primary, "parcels", ct);
        Assert.StartsWith("1000 rows", expected);
        Assert.Equal(expected, await TableChecksum.OfAsync(standby2, "parcels", ct));
        Assert.Equal("standby-1", await standby2.ScalarAsync<string>("SELECT sender_host FROM pg_stat_wal_receiver", ct));
        Assert.Equal(
            [standby1.SlotName],
            await ApplicationNamesAsync(primary, ct));
    });

    private static async Task<List<string>> ApplicationNamesAsync(PostgresNode node, CancellationToken ct)
    {
        var names = await node.ScalarAsync<string>("SELECT string_agg(application_name, ',' ORDER BY application_name) FROM pg_stat_replication", ct);
        return [.. (names ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)];
    }
}
