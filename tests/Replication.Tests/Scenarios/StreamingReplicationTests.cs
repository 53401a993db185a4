using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>What a standby receives from its primary, and when it starts receiving it.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class StreamingReplicationTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public Task Rows_and_sequence_state_reach_both_standbys() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary and two streaming standbys
        var (primary, standbys) = await ClusterSetup.StartWithStandbysAsync(cluster, output, ["standby-1", "standby-2"], ct);

        // When the primary commits 1,000 rows and hands out 37 values of a sequence
        await primary.ExecuteAsync(
            """
            CREATE TABLE items (id int PRIMARY KEY, payload text NOT NULL);
            INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 1000) g;
            CREATE SEQUENCE order_numbers;
            """,
            ct);
        var lastHandedOut = await primary.ScalarAsync<long>("SELECT max(nextval('order_numbers')) FROM generate_series(1, 37)", ct);
        await WalReplay.CatchUpAsync(primary, standbys, ct);

        // Then both standbys hold the same 1,000 rows and the sequence as the primary last logged it
        var expected = await TableChecksum.OfAsync(primary, "items", ct);
        Assert.StartsWith("1000 rows", expected);
        // A sequence is WAL-logged ahead of use; what a standby sees is the logged position
        // (last_value + log_cnt on the primary), so a promoted standby never repeats a handed-out value.
        var loggedPosition = await primary.ScalarAsync<long>("SELECT last_value + log_cnt FROM order_numbers", ct);
        foreach (var standby in standbys)
        {
            Assert.Equal(expected, await TableChecksum.OfAsync(standby, "items", ct));
            var standbyLastValue = await standby.ScalarAsync<long>("SELECT last_value FROM order_numbers", ct);
            Assert.Equal(loggedPosition, standbyLastValue);
            Assert.True(standbyLastValue >= lastHandedOut, $"{standby.Name}: last_value {standbyLastValue} < {lastHandedOut} handed out");
        }
    });

    [Fact]
    public Task Standby_started_before_its_primary_waits_then_streams() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a standby whose primary does not exist yet, and which says it waits for it
        var (primary, standby) = await ClusterSetup.AddStandbyBeforeItsPrimaryAsync(cluster, "standby-1", ct);
        await Wait.UntilAsync(
            "standby-1 to log that it waits for its primary",
            async token => (await standby.LogsAsync(50, token)).Contains("waiting up to", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            ct);

        // When the primary starts afterwards
        await primary.RecreateAsync(null, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

        // Then the standby clones it, streams, and receives a row written now
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        await primary.ExecuteAsync("CREATE TABLE late (id int); INSERT INTO late VALUES (42);", ct);
        await WalReplay.CatchUpAsync(primary, standby, ct);
        Assert.Equal(42, await standby.ScalarAsync<int>("SELECT id FROM late", ct));
        Assert.Contains("cloning primary:5432", await standby.LogsAsync(200, ct), StringComparison.Ordinal);
    });
}
