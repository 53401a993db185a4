using Npgsql;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>A hot standby answers reads and refuses every write with SQLSTATE 25006.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class ReadOnlyStandbyTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public Task Writes_on_a_standby_fail_as_read_only_transactions() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a streaming standby that has the primary's table
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        await primary.ExecuteAsync("CREATE TABLE notes (id int PRIMARY KEY); INSERT INTO notes VALUES (1);", ct);
        await WalReplay.CatchUpAsync(primary, standby, ct);

        string[] writes =
        [
            "INSERT INTO notes VALUES (2)",
            "CREATE TABLE other_notes (id int)",
            "CREATE ROLE intruder LOGIN PASSWORD 'x'",
        ];
        foreach (var write in writes)
        {
            // When a client writes on the standby
            var error = await Assert.ThrowsAsync<PostgresException>(() => standby.ExecuteAsync(write, ct));

            // Then it fails as a read-only transaction
            Assert.True(error.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction, $"{write}: {error.SqlState} {error.MessageText}");
        }

        // And nothing was written anywhere
        Assert.Equal(1L, await standby.ScalarAsync<long>("SELECT count(*) FROM notes", ct));
        Assert.Equal(1L, await primary.ScalarAsync<long>("SELECT count(*) FROM notes", ct));
        Assert.False(await primary.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'intruder')", ct));
    });
}
