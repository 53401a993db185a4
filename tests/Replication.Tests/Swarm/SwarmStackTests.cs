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
    // A task starts, clones and passes its first healthcheck (every 10 s for standbys) in this.
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] NodeLabels = ["postgres-replication.primary=true", "postgres-replication.standby=true"];

    [Fact]
    public async Task Stack_replicates_to_every_standby_task_scales_and_survives_a_killed_primary_task()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var ct = deadline.Token;
        var engine = image.Engine;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Say(string line) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0.0} s] {line}");

        await using var swarm = await SwarmMode.EnterAsync(engine, Say, ct);
        await swarm.AddNodeLabelsAsync(NodeLabels, ct);
        var imageId = (await engine.Client.Images.InspectImageAsync(image.Image, ct)).ID;
        await using var stack = SwarmStack.Create(
            engine, RepositoryRoot.Combine("deploy", "swarm", "stack.yml"), image.NewRunId(), imageId,
            image.Layout.DataVolumePath, standbys: 2);
        try
        {
            // Given the stack deployed with two standbys
            await stack.DeployAsync(ct);
            Say($"deployed stack {stack.Name}; primary published on {stack.Primary}");
            var primary = await WaitForHealthyPrimaryAsync(stack, previous: null, ct);
            await WaitUntilStreamingAsync(stack, primary, 2, ct);
            Say("standby-1 and standby-2 stream from primary");

            // When rows are written through the primary service's published port
            await stack.Primary.ExecuteAsync("CREATE TABLE swarm_check (id int PRIMARY KEY, note text)", ct);
            var lsn = await WriteRowsAsync(stack, 1, 100, ct);

            // Then every standby task has them
            await AssertStandbysHaveRowsAsync(stack, 2, lsn, 100, ct);

            // When the standby service is scaled up by one
            await stack.ScaleAsync("standby", 3, ct);

            // Then the new task is standby-3 and streams under its own slot, standby_3, with the rows
            await WaitUntilStreamingAsync(stack, primary, 3, ct);
            var slots = await ContainerSql.QueryAsync(engine, primary.ContainerId, "SELECT slot_name FROM pg_replication_slots WHERE active ORDER BY 1", ct);
            Assert.Equal(["standby_1", "standby_2", "standby_3"], slots);
            await AssertStandbysHaveRowsAsync(stack, 3, lsn, 100, ct);
            Say("scaled to three standbys; standby-3 streams under slot standby_3");

            // When the primary's task is killed
            await engine.Client.Containers.KillContainerAsync(primary.ContainerId, new ContainerKillParameters { Signal = "KILL" }, ct);
            Say("killed the primary's task");

            // Then Swarm starts a new task on the same volume, with every row, and all standbys stream from it again
            var restarted = await WaitForHealthyPrimaryAsync(stack, previous: primary, ct);
            Assert.Equal(primary.DataVolume, restarted.DataVolume);
            Say($"new primary task on volume {restarted.DataVolume}");
            Assert.Equal("100", await ContainerSql.ScalarAsync(engine, restarted.ContainerId, "SELECT count(*) FROM swarm_check", ct));
            await WaitUntilStreamingAsync(stack, restarted, 3, ct);
            var after = await WriteRowsAsync(stack, 101, 110, ct);
            await AssertStandbysHaveRowsAsync(stack, 3, after, 110, ct);
            Say("every standby streams from the new primary task and has rows written after the kill");
        }
        catch
        {
            output.WriteLine(await stack.DumpLogsAsync(40, CancellationToken.None));
            throw;
        }
    }

    private static Task<StackTask> WaitForHealthyPrimaryAsync(SwarmStack stack, StackTask? previous, CancellationToken ct) =>
        Wait.UntilAsync(
            previous is null ? "the primary's task to be healthy" : "a new primary task, after the killed one, to be healthy",
            async token =>
            {
                var tasks = await stack.RunningTasksAsync("primary", token);
                var task = tasks.FirstOrDefault(t => t.ContainerId != previous?.ContainerId);
                return task is { Health: "healthy" }
                    ? Probe<StackTask>.Done(task)
                    : Probe<StackTask>.NotYet(task is null ? "no running task" : $"task {task.Hostname} {task.Health}");
            },
            TaskTimeout,
            ct);

    /// <summary>Until standby-1..standby-N run, each streams under its own slot, and the primary's task sees them all.</summary>
    private Task WaitUntilStreamingAsync(SwarmStack stack, StackTask primary, int standbys, CancellationToken ct) =>
        Wait.UntilAsync(
            $"standby-1 to standby-{standbys} to stream from the primary's task, each under its own slot",
            async token =>
            {
                var upstream = await ContainerSql.StreamingStandbysAsync(image.Engine, primary.ContainerId, token);
                var streaming = new List<string>();
                foreach (var task in await stack.RunningTasksAsync("standby", token))
                {
                    var slot = SlotName.FromHostname(task.Hostname);
                    var receiver = await ContainerSql.WalReceiverAsync(image.Engine, task.ContainerId, token);
                    if (receiver == $"streaming {slot}" && upstream.Contains(slot))
                    {
                        streaming.Add(task.Hostname);
                    }
                }

                return streaming.SequenceEqual(Enumerable.Range(1, standbys).Select(i => $"standby-{i}"))
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet($"streaming under their own slot: [{string.Join(", ", streaming)}]");
            },
            TaskTimeout,
            ct);

    /// <summary>Writes rows first..last through the published port; returns the primary's WAL position after them.</summary>
    private static async Task<string> WriteRowsAsync(SwarmStack stack, int first, int last, CancellationToken ct)
    {
        await stack.Primary.ExecuteAsync(
            string.Create(CultureInfo.InvariantCulture, $"INSERT INTO swarm_check SELECT g, 'row ' || g FROM generate_series({first}, {last}) g"), ct);
        return (await stack.Primary.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text", ct))!;
    }

    private async Task AssertStandbysHaveRowsAsync(SwarmStack stack, int standbys, string lsn, int rows, CancellationToken ct)
    {
        // Each task runs its healthcheck before Swarm lists it as running; wait for all of them.
        var tasks = await Wait.UntilAsync(
            $"{standbys} running standby tasks",
            async token =>
            {
                var running = await stack.RunningTasksAsync("standby", token);
                return running.Count == standbys
                    ? Probe<IReadOnlyList<StackTask>>.Done(running)
                    : Probe<IReadOnlyList<StackTask>>.NotYet($"{running.Count} running");
            },
            TaskTimeout,
            ct);
        Assert.Equal(Enumerable.Range(1, standbys).Select(i => $"standby-{i}"), tasks.Select(t => t.Hostname));
        Assert.Equal(tasks.Count, tasks.Select(t => t.DataVolume).Distinct().Count());
        foreach (var task in tasks)
        {
            await ContainerSql.WaitUntilReplayedAsync(image.Engine, task.ContainerId, task.Hostname, lsn, TaskTimeout, ct);
            var count = await ContainerSql.ScalarAsync(image.Engine, task.ContainerId, "SELECT count(*) FROM swarm_check", ct);
            Assert.True(count == rows.ToString(CultureInfo.InvariantCulture), $"{task.Hostname} has {count} rows, expected {rows}");
        }
    }
}
