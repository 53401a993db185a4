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

    [Fact]
    public Task Promoted_standby_restarted_with_its_old_environment_comes_up_at_once_as_the_primary() => image.RunClusterAsync(
        output,
        // Far longer than the test waits: a restart that waits for the lost primary fails it.
        NodeEnvironment.For("standby-1", ("PRIMARY_WAIT_TIMEOUT", "600")),
        async (cluster, ct) =>
        {
            // Given standby-1 promoted after its primary was lost, with rows written on it
            var (primary, standby) = await ClusterSetup.FailOverByHandAsync(cluster, output, ct);

            // When it is restarted as it is: REPLICATION_ROLE=standby, PRIMARY_HOST=primary, which is gone
            await standby.RestartAsync(ct);

            // Then it is a writable primary with every row within a minute, not after PRIMARY_WAIT_TIMEOUT
            await Probes.WaitUntilAcceptingConnectionsAsync(standby, TimeSpan.FromSeconds(60), ct);
            Assert.False(await standby.IsInRecoveryAsync(ct));
            await standby.ExecuteAsync("INSERT INTO events VALUES (3)", ct);
            Assert.Equal("1,2,3", await standby.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id) FROM events", ct));

            // And its log says it was promoted and how to start it from now on
            var log = await standby.LogsAsync(30, ct);
            Assert.Contains("was promoted while it ran as a standby", log, StringComparison.Ordinal);
            Assert.Contains("set REPLICATION_ROLE=primary", log, StringComparison.Ordinal);
            Assert.DoesNotContain("waiting up to", log, StringComparison.Ordinal);
        });

    [Fact]
    public Task Promoted_standby_restarted_after_a_later_promotion_of_its_primary_host_rejoins_it_instead() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given standby-1 promoted after the primary was lost, and the former primary following it again
        var (primary, standby) = await ClusterSetup.FailOverByHandAsync(cluster, output, ct);
        await primary.RecreateAsync(new Dictionary<string, string?> { ["REPLICATION_ROLE"] = "standby", ["PRIMARY_HOST"] = standby.Name }, ct);
        output.WriteLine((await Probes.WaitUntilStreamingAsync(standby, primary, ct)).ToString());
        await WalReplay.CatchUpAsync(standby, primary, ct);

        // When standby-1 stops, the node called "primary" is promoted again (a later timeline) and takes writes
        await standby.StopAsync(ct);
        Assert.True(await primary.ScalarAsync<bool>("SELECT pg_promote()", ct), "pg_promote() did not finish");
        await primary.ExecuteAsync("INSERT INTO events VALUES (3)", ct);

        // And standby-1 starts again with its old environment (REPLICATION_ROLE=standby, PRIMARY_HOST=primary)
        await standby.StartAsync(ct);

        // Then it does not start as a second primary: it is rewound onto the later timeline and follows "primary"
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        await WalReplay.CatchUpAsync(primary, standby, ct);
        Assert.True(await standby.IsInRecoveryAsync(ct));
        Assert.Equal("1,2,3", await standby.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id) FROM events", ct));
        var log = await standby.LogsAsync(40, ct);
        Assert.Contains("rewinding", log, StringComparison.Ordinal);
        Assert.DoesNotContain("was promoted while it ran as a standby", log, StringComparison.Ordinal);
    });

    private static Task<int> ReceivedTimelineAsync(PostgresNode standby, CancellationToken ct) =>
        standby.ScalarAsync<int>("SELECT received_tli FROM pg_stat_wal_receiver", ct);
}
