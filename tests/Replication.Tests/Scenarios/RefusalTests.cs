using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// Bad input: the container exits non-zero with one line naming the cause, and PGDATA is left
/// as it was (empty for a new volume; byte for byte the same for existing data).
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class RefusalTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Unknown_role_is_refused_and_the_volume_stays_empty() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a node started with a role the image does not know
        var node = await cluster.AddPrimaryAsync("node", new Dictionary<string, string?> { ["REPLICATION_ROLE"] = "replica" }, ct);

        // When it starts
        var refusal = await Refusal.AwaitAsync(cluster, node, ExitTimeout, ct);
        // Then it exits naming the variable, and wrote nothing
        AssertRefused(refusal, "REPLICATION_ROLE='replica'");
        await AssertVolumeHoldsNoFilesAsync(cluster, node, ct);
    });

    [Theory]
    [InlineData("fast", "is not a transfer rate")]
    [InlineData("2G", "is not a transfer rate")]
    [InlineData("16k", "is out of range")]
    public Task Bad_clone_rate_is_refused_and_the_volume_stays_empty(string rate, string reason) => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a running primary and a new standby with a CLONE_MAX_RATE pg_basebackup would not take
        var primary = await cluster.AddPrimaryAsync(ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        var standby = await cluster.AddStandbyAsync("standby-1", primary, new Dictionary<string, string?> { ["CLONE_MAX_RATE"] = rate }, ct);

        // When it starts
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);

        // Then it exits naming the variable and the cause before it clones anything
        AssertRefused(refusal, $"CLONE_MAX_RATE='{rate}' {reason}");
        await AssertVolumeHoldsNoFilesAsync(cluster, standby, ct);
    });

    [Theory]
    [InlineData("primary")]
    [InlineData("standby")]
    public Task Missing_replication_password_is_refused_and_the_volume_stays_empty(string role) => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a new node of this role without REPLICATION_PASSWORD
        var node = await cluster.AddPrimaryAsync(
            "node",
            new Dictionary<string, string?>
            {
                ["REPLICATION_ROLE"] = role,
                ["PRIMARY_HOST"] = role == "standby" ? "primary" : null,
                ["REPLICATION_PASSWORD"] = null,
            },
            ct);

        // When it starts
        var refusal = await Refusal.AwaitAsync(cluster, node, ExitTimeout, ct);

        // Then it exits naming the variable, and wrote nothing
        AssertRefused(refusal, "REPLICATION_PASSWORD is not set");
        await AssertVolumeHoldsNoFilesAsync(cluster, node, ct);
    });

    [Fact]
    public Task Wrong_replication_password_is_refused_at_once_and_the_volume_stays_empty() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a running primary and a new standby with another replication password
        var primary = await cluster.AddPrimaryAsync(ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        var standby = await cluster.AddStandbyAsync(
            "standby-1", primary, new Dictionary<string, string?> { ["REPLICATION_PASSWORD"] = ClusterOptions.NewPassword() }, ct);

        // When it reaches the primary
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);

        // Then it exits at once, not after retrying until the 120 s PRIMARY_WAIT_TIMEOUT, and wrote nothing
        AssertRefused(refusal, "REPLICATION_PASSWORD must match");
        Assert.True(refusal.RanFor < TimeSpan.FromSeconds(20), $"the refusal came after {refusal.RanFor.TotalSeconds:0.0} s");
        await AssertVolumeHoldsNoFilesAsync(cluster, standby, ct);
    });

    [Fact]
    public Task Unreachable_primary_is_refused_after_the_wait_timeout_and_the_volume_stays_empty() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a new standby whose primary address has no server (its own loopback, before its own server starts)
        var standby = await cluster.AddPrimaryAsync(
            "standby-1",
            new Dictionary<string, string?>
            {
                ["REPLICATION_ROLE"] = "standby",
                ["PRIMARY_HOST"] = "127.0.0.1",
                ["PRIMARY_WAIT_TIMEOUT"] = "3",
                ["POSTGRES_PASSWORD"] = null,
            },
            ct);

        // When its 3 s PRIMARY_WAIT_TIMEOUT passes
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);

        // Then it exits naming the address and the variable, and wrote nothing
        AssertRefused(refusal, "primary 127.0.0.1:5432 still unreachable after 3 s");
        Assert.True(refusal.RanFor >= TimeSpan.FromSeconds(3), $"it gave up after {refusal.RanFor.TotalSeconds:0.0} s");
        Assert.Contains("PRIMARY_WAIT_TIMEOUT", refusal.ErrorLines[0], StringComparison.Ordinal);
        await AssertVolumeHoldsNoFilesAsync(cluster, standby, ct);
    });

    [Fact]
    public Task Data_directory_of_another_cluster_is_refused_and_left_unchanged() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a standby cloned from primary A, stopped, and another primary B (its own initdb)
        var (primaryA, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        var primaryB = await cluster.AddPrimaryAsync("primary-b", null, ct);
        await primaryA.ExecuteAsync("CREATE TABLE kept (id int); INSERT INTO kept VALUES (1);", ct);
        await WalReplay.CatchUpAsync(primaryA, standby, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primaryB, ct);
        await standby.StopAsync(ct);
        var before = await DataDirectorySnapshot.TakeAsync(cluster.Engine, standby.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.NotEmpty(before.Files);

        // When it is recreated on its volume with PRIMARY_HOST = primary B
        await standby.RecreateAsync(new Dictionary<string, string?> { ["PRIMARY_HOST"] = "primary-b" }, ct);

        // Then it refuses, and not one file of its data directory changed
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);
        AssertRefused(refusal, "belongs to another cluster");
        var after = await DataDirectorySnapshot.TakeAsync(cluster.Engine, standby.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.Empty(before.DifferencesFrom(after));
    });

    /// <summary>A non-zero exit and exactly one error line, which names the cause.</summary>
    private void AssertRefused(Refusal refusal, string reason)
    {
        output.WriteLine($"exit code {refusal.ExitCode}: {string.Join(" | ", refusal.ErrorLines)}");
        Assert.NotEqual(0L, refusal.ExitCode);
        var line = Assert.Single(refusal.ErrorLines);
        Assert.Contains(reason, line, StringComparison.Ordinal);
    }

    private async Task AssertVolumeHoldsNoFilesAsync(ReplicationCluster cluster, PostgresNode node, CancellationToken ct)
    {
        var snapshot = await DataDirectorySnapshot.TakeAsync(cluster.Engine, node.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.Empty(snapshot.Files);
    }
}
