using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// Replication slots on the primary cannot pile up, are never taken from a standby that streams,
/// and a standby left behind for good neither stalls its primary nor loops without a word.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class SlotTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Standby_without_a_stable_name_is_refused_ten_times_and_leaves_no_slot() => image.RunClusterAsync(
        output,
        options => options with
        {
            NodeContainers = new Dictionary<string, NodeContainerOptions> { ["standby-1"] = new() { HostnameIsNodeName = false } },
        },
        async (cluster, ct) =>
        {
            // Given a primary, and a standby whose hostname is its container id (docker run without --hostname)
            var primary = await cluster.AddPrimaryAsync(ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            var standby = await cluster.AddStandbyAsync("standby-1", primary, ct);

            // When it is recreated ten times, each time a new container on a new volume
            for (var attempt = 1; attempt <= 10; attempt++)
            {
                if (attempt > 1)
                {
                    await standby.RemoveContainerAsync(keepVolume: false, ct);
                    await standby.RecreateAsync(null, ct);
                }

                // Then each one is refused, naming the fix
                var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);
                Assert.NotEqual(0L, refusal.ExitCode);
                Assert.Contains("has no stable name", Assert.Single(refusal.ErrorLines), StringComparison.Ordinal);
            }

            // And the primary holds no slot at all
            Assert.Equal(0L, await primary.ScalarAsync<long>("SELECT count(*) FROM pg_replication_slots", ct));
        });

    [Fact]
    public Task Second_standby_of_the_same_name_never_takes_a_slot_in_use() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given standby-1 streaming under slot standby_1
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        var firstSender = await primary.ScalarAsync<int>("SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'standby_1'", ct);

        // When another standby starts under the same slot name
        var impostor = await cluster.AddStandbyAsync(
            "standby-2", primary, new Dictionary<string, string?> { ["REPLICATION_SLOT"] = "standby_1" }, ct);

        // Then it is refused at once, and standby-1 keeps its slot and its stream
        var refusal = await Refusal.AwaitAsync(cluster, impostor, ExitTimeout, ct);
        Assert.Contains("is in use by another running standby", Assert.Single(refusal.ErrorLines), StringComparison.Ordinal);
        Assert.True(refusal.RanFor < TimeSpan.FromSeconds(20), $"the refusal came after {refusal.RanFor.TotalSeconds:0.0} s");
        Assert.Equal(firstSender, await primary.ScalarAsync<int>("SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'standby_1'", ct));
        await Probes.WaitUntilStreamingAsync(primary, standby, ct);
    });

    [Fact]
    public Task Stopped_standby_whose_slot_another_took_says_so_instead_of_looping() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given standby-1 stopped, and standby-2 cloned under its slot name meanwhile
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        await standby.StopAsync(ct);
        var other = await cluster.AddStandbyAsync(
            "standby-2", primary, new Dictionary<string, string?> { ["REPLICATION_SLOT"] = "standby_1" }, ct);
        await Probes.WaitUntilStreamingAsync(primary, other, ct);
        Assert.Contains("dropped the inactive replication slot standby_1", await other.LogsAsync(100, ct), StringComparison.Ordinal);

        // When standby-1 starts again
        await standby.StartAsync(ct);

        // Then it stops with one line saying who holds its slot, and standby-2 streams on
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);
        Assert.Contains("is in use by another standby at", Assert.Single(refusal.ErrorLines), StringComparison.Ordinal);
        await Probes.WaitUntilStreamingAsync(primary, other, ct);
    });

    [Fact]
    public Task Lost_standby_neither_stalls_the_primary_nor_resumes_silently() => image.RunClusterAsync(
        output,
        options => options with
        {
            NodeEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string?>>
            {
                ["primary"] = new Dictionary<string, string?> { ["MAX_SLOT_WAL_KEEP_SIZE"] = "48MB", ["WAL_KEEP_SIZE"] = "0" },
            },
        },
        async (cluster, ct) =>
        {
            // Given a standby cut off from its primary's network mid-stream (its packets vanish, as in a partition)
            var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
            await standby.DisconnectAsync(ct);

            // When the primary writes more WAL than MAX_SLOT_WAL_KEEP_SIZE and checkpoints
            await primary.ExecuteAsync("CREATE TABLE filler AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 200000) g", ct);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await primary.ExecuteAsync("CHECKPOINT", ct);
            output.WriteLine($"CHECKPOINT took {clock.Elapsed.TotalSeconds:0.0} s");

            // Then the checkpoint did not wait on the dead connection for the kernel's 15 minutes, and the slot is lost
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"CHECKPOINT took {clock.Elapsed.TotalSeconds:0} s");
            Assert.Equal("lost", await primary.ScalarAsync<string>("SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'standby_1'", ct));

            // And the standby, back on the network and restarted, says in one line why it cannot catch up
            await standby.ReconnectAsync(ct);
            await standby.RestartAsync(ct);
            var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);
            Assert.Contains("replication slot standby_1 on primary was invalidated", Assert.Single(refusal.ErrorLines), StringComparison.Ordinal);
        },
        TimeSpan.FromMinutes(5));
}
