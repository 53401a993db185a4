using System.Globalization;

namespace PostgresReplication;

/// <summary>
/// What the README's Swarm run promises, checked on a deployed stack: a healthy primary task, every
/// standby task streaming under its own slot, and rows written through the published port on each.
/// The SwarmTest target and the Swarm scenario test both run it.
/// </summary>
public sealed partial class SwarmStack
{
    /// <summary>A task starts, clones and passes its first healthcheck (every 10 s for standbys) in this.</summary>
    public static readonly TimeSpan TaskTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The placement labels of deploy/swarm/stack.yml: a node carrying both runs the primary and every standby.</summary>
    public static readonly IReadOnlyList<string> OneNodeLabels = ["postgres-replication.primary=true", "postgres-replication.standby=true"];

    public const string CheckTable = "swarm_check";

    /// <summary>Deploys, waits until the primary's task is healthy and <paramref name="standbys"/> stream, writes rows 1..100 and waits until every standby has them.</summary>
    /// <returns>The primary's task.</returns>
    public async Task<StackTask> DeployAndReplicateAsync(int standbys, Action<string> log, CancellationToken ct)
    {
        await DeployAsync(ct);
        log($"deployed stack {Name}; primary published on {Primary}");
        var primary = await WaitForHealthyPrimaryAsync(previous: null, ct);
        await WaitUntilStreamingAsync(primary, standbys, ct);
        log($"standby-1 to standby-{standbys} stream from the primary, each under its own slot");
        await Primary.ExecuteAsync($"CREATE TABLE {CheckTable} (id int PRIMARY KEY, note text)", ct);
        var lsn = await WriteRowsAsync(1, 100, ct);
        await WaitUntilStandbysHaveRowsAsync(standbys, lsn, 100, ct);
        log($"every standby task replayed the 100 rows written through {Primary}");
        return primary;
    }

    /// <summary>The primary's running, healthy task; with <paramref name="previous"/>, another one than that.</summary>
    public Task<StackTask> WaitForHealthyPrimaryAsync(StackTask? previous, CancellationToken ct) =>
        Wait.UntilAsync(
            previous is null ? "the primary's task to be healthy" : "a new primary task, after the killed one, to be healthy",
            async token =>
            {
                var tasks = await RunningTasksAsync("primary", token);
                var task = tasks.FirstOrDefault(t => t.ContainerId != previous?.ContainerId);
                return task is { Health: "healthy" }
                    ? Probe<StackTask>.Done(task)
                    : Probe<StackTask>.NotYet(task is null ? "no running task" : $"task {task.Hostname} {task.Health}");
            },
            TaskTimeout,
            ct);

    /// <summary>Until standby-1..standby-N run, each streams under its own slot, and the primary's task sees them all.</summary>
    public Task WaitUntilStreamingAsync(StackTask primary, int standbys, CancellationToken ct) =>
        Wait.UntilAsync(
            $"standby-1 to standby-{standbys} to stream from the primary's task, each under its own slot",
            async token =>
            {
                var upstream = await ContainerSql.StreamingStandbysAsync(_engine, primary.ContainerId, token);
                var streaming = new List<string>();
                foreach (var task in await RunningTasksAsync("standby", token))
                {
                    var slot = SlotName.FromHostname(task.Hostname);
                    var receiver = await ContainerSql.WalReceiverAsync(_engine, task.ContainerId, token);
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

    /// <summary>Writes rows first..last of the check table through the published port; returns the primary's WAL position after them.</summary>
    public async Task<string> WriteRowsAsync(int first, int last, CancellationToken ct)
    {
        await Primary.ExecuteAsync(
            string.Create(CultureInfo.InvariantCulture, $"INSERT INTO {CheckTable} SELECT g, 'row ' || g FROM generate_series({first}, {last}) g"), ct);
        return (await Primary.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text", ct))!;
    }

    /// <summary>
    /// Waits for standby-1..standby-N to run, each on a volume of its own, to replay up to
    /// <paramref name="lsn"/> and to hold <paramref name="rows"/> rows; throws naming the first that does not.
    /// </summary>
    public async Task<IReadOnlyList<StackTask>> WaitUntilStandbysHaveRowsAsync(int standbys, string lsn, int rows, CancellationToken ct)
    {
        // Each task runs its healthcheck before Swarm lists it as running; wait for all of them.
        var tasks = await Wait.UntilAsync(
            $"{standbys} running standby tasks",
            async token =>
            {
                var running = await RunningTasksAsync("standby", token);
                return running.Count == standbys
                    ? Probe<IReadOnlyList<StackTask>>.Done(running)
                    : Probe<IReadOnlyList<StackTask>>.NotYet($"{running.Count} running");
            },
            TaskTimeout,
            ct);
        var expected = Enumerable.Range(1, standbys).Select(i => $"standby-{i}").ToList();
        if (!tasks.Select(t => t.Hostname).SequenceEqual(expected) || tasks.Select(t => t.DataVolume).Distinct().Count() != tasks.Count)
        {
            throw new InvalidOperationException(
                $"expected the standby tasks {string.Join(", ", expected)} on a volume each, found {string.Join(", ", tasks.Select(t => $"{t.Hostname} on {t.DataVolume}"))}");
        }

        foreach (var task in tasks)
        {
            await ContainerSql.WaitUntilReplayedAsync(_engine, task.ContainerId, task.Hostname, lsn, TaskTimeout, ct);
            var count = await ContainerSql.ScalarAsync(_engine, task.ContainerId, $"SELECT count(*) FROM {CheckTable}", ct);
            if (count != rows.ToString(CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"{task.Hostname} has {count} rows in {CheckTable}, the primary {rows}");
            }
        }

        return tasks;
    }
}
