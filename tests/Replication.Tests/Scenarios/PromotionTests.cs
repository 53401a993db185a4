using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>Failover by hand: promote a standby, point the other standby at it.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class PromotionTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public Task Promoted_standby_keeps_every_committed_row_and_the_other_standby_follows_it() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary with two standbys that have replayed 1,000 committed rows
        var (primary, standbys) = await ClusterSetup.StartWithStandbysAsync(cluster, output, ["standby-1", "standby-2"], ct);
        var (standby1, standby2) = (standbys[0], standbys[1]);
        await primary.ExecuteAsync("CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts SELECT g, g FROM generate_series(1, 1000) g;", ct);
        await WalReplay.CatchUpAsync(primary, standbys, ct);
        var committed = await TableChecksum.OfAsync(primary, "accounts", ct);
        var timelineBefore = await ReceivedTimelineAsync(standby2, ct);

        // When the primary stops and standby-1 is promoted
        await primary.StopAsync(ct);
        Assert.True(await standby1.ScalarAsync<bool>("SELECT pg_promote()", ct), "pg_promote() did not finish");

        // Then standby-1 is writable and has every row committed before
        Assert.False(await standby1.IsInRecoveryAsync(ct));
        Assert.Equal(committed, await TableChecksum.OfAsync(standby1, "accounts", ct));
        await standby1.ExecuteAsync("INSERT INTO accounts SELECT g, g FROM generate_series(1001, 1100) g", ct);

        // When standby-2 is recreated on its volume with PRIMARY_HOST = standby-1
        await standby2.RecreateAsync(new Dictionary<string, string?> { ["PRIMARY_HOST"] = "standby-1" }, ct);

        // Then it follows standby-1 on the new timeline and receives rows written there
        output.WriteLine((await Probes.WaitUntilStreamingAsync(standby1, standby2, ct)).ToString());
        await standby1.ExecuteAsync("INSERT INTO accounts SELECT g, g FROM generate_series(1101, 1200) g", ct);
        await WalReplay.CatchUpAsync(standby1, standby2, ct);
        var expected = await TableChecksum.OfAsync(standby1, "accounts", ct);
        Assert.StartsWith("1200 rows", expected);
        Assert.Equal(expected, await TableChecksum.OfAsync(standby2, "accounts", ct));
        Assert.True(await standby2.IsInRecoveryAsync(ct));
        Assert.Equal("standby-1", await standby2.ScalarAsync<string>("SELECT sender_host FROM pg_stat_wal_receiver", ct));
        var timelineAfter = await ReceivedTimelineAsync(standby2, ct);
        Assert.True(timelineAfter > timelineBefore, $"standby-2 still receives timeline {timelineAfter}, as before the promotion");
    });

    private static Task<int> ReceivedTimelineAsync(PostgresNode standby, CancellationToken ct) =>
        standby.ScalarAsync<int>("SELECT received_tli FROM pg_stat_wal_receiver", ct);
}
