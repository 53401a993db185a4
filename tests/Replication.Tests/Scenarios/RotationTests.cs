using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// Changing the replication password or user: set the new value on the primary and the standbys,
/// restart them, and replication goes on with the new one only.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class RotationTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task New_replication_password_replaces_the_old_one() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a streaming standby
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        var newPassword = ClusterOptions.NewPassword();

        // When the primary and then the standby are restarted with a new REPLICATION_PASSWORD
        await primary.RecreateAsync(new Dictionary<string, string?> { ["REPLICATION_PASSWORD"] = newPassword }, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        await standby.RecreateAsync(new Dictionary<string, string?> { ["REPLICATION_PASSWORD"] = newPassword }, ct);

        // Then the standby streams again, and the primary said it changed the password
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        Assert.Contains("password of replication role replicator was changed", await primary.LogsAsync(100, ct), StringComparison.Ordinal);

        // And a new standby with the old password is refused
        var stale = await cluster.AddStandbyAsync("standby-2", primary, ct);
        var refusal = await Refusal.AwaitAsync(cluster, stale, ExitTimeout, ct);
        Assert.Contains("REPLICATION_PASSWORD must match", Assert.Single(refusal.ErrorLines), StringComparison.Ordinal);
    });

    [Fact]
    public Task New_replication_user_is_created_and_the_old_one_stops_replicating() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a streaming standby of role replicator
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);

        // When both are restarted with REPLICATION_USER=streamer
        var renamed = new Dictionary<string, string?> { ["REPLICATION_USER"] = "streamer" };
        await primary.RecreateAsync(renamed, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        await standby.RecreateAsync(renamed, ct);

        // Then the standby streams as streamer, and replicator may no longer replicate
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
        Assert.Equal("streamer", await primary.ScalarAsync<string>("SELECT usename FROM pg_stat_replication", ct));
        Assert.False(await primary.ScalarAsync<bool>("SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'", ct));
        var old = await cluster.AddStandbyAsync("standby-2", primary, ct);
        var refusal = await Refusal.AwaitAsync(cluster, old, ExitTimeout, ct);
        Assert.NotEqual(0L, refusal.ExitCode);
        Assert.Single(refusal.ErrorLines);
    });
}
