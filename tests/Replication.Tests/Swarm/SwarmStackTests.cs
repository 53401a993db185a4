using System.Globalization;
using BuildRunner;
using Docker.DotNet.Models;
using PostgresReplication;
using Replication.Tests.Scenarios;
using Xunit.Abstractions;

namespace Replication.Tests.Swarm;

/// <summary>
/// deploy/swarm/stack.yml on a one-node swarm, as the README's "Beyond one host" runs it: the node
/// carries both placement labels, so the primary and every standby task land on it.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class SwarmStackTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Stack_replicates_to_every_standby_task_scales_and_survives_a_killed_primary_task()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var ct = deadline.Token;
        var engine = image.Engine;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Say(string line) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0.0} s] {line}");

        await using var swarm = await SwarmMode.EnterAsync(engine, Say, ct);
        await swarm.AddNodeLabelsAsync(SwarmStack.OneNodeLabels, ct);
        var imageId = (await engine.Client.Images.InspectImageAsync(image.Image, ct)).ID;
        await using var stack = SwarmStack.Create(
            engine, RepositoryRoot.Combine("deploy", "swarm", "stack.yml"), image.NewRunId(), imageId,
            image.Layout.DataVolumePath, standbys: 2);
        try
        {
            // Given the stack deployed with two standbys, streaming and holding rows 1..100 written through the primary's port
            var primary = await stack.DeployAndReplicateAsync(2, Say, ct);

            // When the standby service is scaled up by one
            await stack.ScaleAsync("standby", 3, ct);

            // Then the new task is standby-3 and streams under its own slot, standby_3, with the rows
            await stack.WaitUntilStreamingAsync(primary, 3, ct);
            var slots = await ContainerSql.QueryAsync(engine, primary.ContainerId, "SELECT slot_name FROM pg_replication_slots WHERE active ORDER BY 1", ct);
            Assert.Equal(["standby_1", "standby_2", "standby_3"], slots);
            var lsn = await stack.WriteRowsAsync(101, 101, ct);
            await stack.WaitUntilStandbysHaveRowsAsync(3, lsn, 101, ct);
            Say("scaled to three standbys; standby-3 streams under slot standby_3");

            // When the primary's task is killed
            await engine.Client.Containers.KillContainerAsync(primary.ContainerId, new ContainerKillParameters { Signal = "KILL" }, ct);
            Say("killed the primary's task");

            // Then Swarm starts a new task on the same volume, with every row, and all standbys stream from it again
            var restarted = await stack.WaitForHealthyPrimaryAsync(previous: primary, ct);
            Assert.Equal(primary.DataVolume, restarted.DataVolume);
            Say($"new primary task on volume {restarted.DataVolume}");
            Assert.Equal("101", await ContainerSql.ScalarAsync(engine, restarted.ContainerId, $"SELECT count(*) FROM {SwarmStack.CheckTable}", ct));
            await stack.WaitUntilStreamingAsync(restarted, 3, ct);
            var after = await stack.WriteRowsAsync(102, 110, ct);
            await stack.WaitUntilStandbysHaveRowsAsync(3, after, 110, ct);
            Say("every standby streams from the new primary task and has rows written after the kill");
        }
        catch
        {
            output.WriteLine(await stack.DumpLogsAsync(40, CancellationToken.None));
            throw;
        }
    }
}
