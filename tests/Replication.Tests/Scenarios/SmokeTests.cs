using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

[Collection(ReplicationCollection.Name)]
public sealed class SmokeTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public Task Primary_and_standby_replicate_a_row() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary and a standby started together (the standby waits for its primary)
        var primary = await cluster.AddPrimaryAsync(ct);
        var standby = await cluster.AddStandbyAsync("standby-1", primary, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());

        // When a row is written on the primary
        await primary.ExecuteAsync("CREATE TABLE smoke (id int PRIMARY KEY); INSERT INTO smoke VALUES (1);", ct);
        var written = await primary.CurrentWalLsnAsync(ct);
        await Probes.WaitForReplayAsync(standby, written, ct);

        // Then the standby, a read-only hot standby, has it
        Assert.Equal(1L, await standby.ScalarAsync<long>("SELECT count(*) FROM smoke", ct));
        Assert.True(await standby.IsInRecoveryAsync(ct));
    });
}
