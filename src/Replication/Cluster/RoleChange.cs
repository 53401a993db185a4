using System.Diagnostics;
using NpgsqlTypes;

namespace PostgresReplication;

/// <summary>Which node is the primary and which nodes follow it.</summary>
public sealed record Topology(PostgresNode Primary, IReadOnlyList<PostgresNode> Standbys)
{
    public IEnumerable<PostgresNode> Nodes => Standbys.Prepend(Primary);
}

/// <summary>
/// What a role change left: the new topology, in which the former primary is a standby, and the
/// time from its first action until the new primary accepted a write and until every standby
/// streamed from it again, on its timeline and caught up.
/// </summary>
public sealed record RoleChangeResult(Topology Topology, TimeSpan UntilWritable, TimeSpan UntilStreaming);

/// <summary>A role change that cannot go ahead without losing data, or has nothing to promote; the message says why.</summary>
public sealed class RoleChangeException(string message) : Exception(message);

/// <summary>
/// Day two on a running cluster. A switchover (planned) stops the primary cleanly and promotes a
/// standby only once it has replayed the primary's last WAL record, so it loses nothing by
/// construction; a failover (unplanned) asks every standby first, kills the primary, and promotes
/// the standby that holds the most WAL, never past a synchronous standby it could not ask (see
/// <see cref="RoleChangePlan"/>). Both then repoint the other standbys at the new primary and bring the former primary
/// back as its standby, which the image rewinds with pg_rewind: every volume is kept, nothing is cloned.
/// </summary>
public static class RoleChange
{
    /// <param name="targetStandby">
    /// The standby to promote; null for the streaming one holding the most WAL. A standby that does
    /// not stream is never promoted: it cannot have the primary's last WAL.
    /// </param>
    public static async Task<RoleChangeResult> SwitchoverAsync(
        Topology current, string? targetStandby, Action<string> log, CancellationToken ct)
    {
        var old = current.Primary;
        // An unknown name is refused before any server is asked.
        Named(current, targetStandby);
        var target = Named(current, RoleChangePlan.ChooseSwitchoverTarget(await SurveyAsync(current, log, ct), targetStandby))!;
        var clock = Stopwatch.StartNew();
        log($"switchover to {target.Name}: stopping {old.Name} cleanly");
        await old.StopAsync(ct);
        try
        {
            await WaitForShutdownCheckpointAsync(old, target, log, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing was promoted: the cluster goes back to how it was before the stop.
            log($"switchover called off, {old.Name} starts again as the primary");
            await old.StartAsync(ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(old, ct);
            throw;
        }

        return await PromoteAndRejoinAsync(current, target, clock, log, ct);
    }

    /// <param name="targetStandby">
    /// The standby to promote; null for the one holding the most WAL. A named standby that holds
    /// less than an asynchronous one is promoted all the same (with a warning): the commits it
    /// lacks are lost.
    /// </param>
    /// <param name="force">
    /// Promote even past a synchronous standby that does not answer, or that holds more WAL than
    /// the named target: acknowledged commits only it holds are lost. Without it such a failover
    /// is refused, before the kill when that is already known.
    /// </param>
    public static async Task<RoleChangeResult> FailoverAsync(
        Topology current, string? targetStandby, bool force, Action<string> log, CancellationToken ct)
    {
        // An unknown name is refused before any server is asked.
        Named(current, targetStandby);
        // Every standby's state before the kill, so a failover that cannot be safe leaves the primary running.
        var before = await SurveyAsync(current, log, ct);
        Warn(RoleChangePlan.CheckBeforeKill(before, targetStandby, force), log);

        var clock = Stopwatch.StartNew();
        log($"failover: killing {current.Primary.Name} (SIGKILL)");
        await current.Primary.KillAsync(ct);
        var after = await StandbySurvey.AskAgainAsync(before, current, ct);
        log($"WAL held after the kill: {string.Join("; ", after)}");
        var choice = RoleChangePlan.ChooseAfterKill(before, after, targetStandby, force);
        Warn(choice.Warnings, log);
        return await PromoteAndRejoinAsync(current, Named(current, choice.Target)!, clock, log, ct);
    }

    private static async Task<RoleChangeResult> PromoteAndRejoinAsync(
        Topology current, PostgresNode target, Stopwatch clock, Action<string> log, CancellationToken ct)
    {
        var old = current.Primary;
        if (!await target.ScalarAsync<bool>("SELECT pg_promote(wait => true)", ct))
        {
            throw new RoleChangeException($"{target.Name} did not finish its promotion within 60 s (pg_promote returned false); its log says why");
        }

        target.RecordRole(upstream: null);
        log($"{target.Name} promoted {clock.Elapsed.TotalSeconds:0.00} s after the first action");

        // A synchronous new primary commits a write only once a synchronous standby streams from
        // it, so the write is tried while the standbys are repointed, not before.
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writable = WaitUntilWritableAsync(target, clock, stopWriting.Token);
        try
        {
            // pg_rewind before PostgreSQL 16 reads the source's timeline from its control file, which
            // a promotion updates only at its first checkpoint: until then a former primary is found
            // "on the same timeline", is not rewound, and loops on "new timeline forked off".
            await target.ExecuteAsync("CHECKPOINT", ct);
            var others = current.Standbys.Where(s => s != target).ToList();
            await Task.WhenAll(others
                .Select(s => RejoinAsync(s, target, stopFirst: true, log, ct))
                .Append(RejoinAsync(old, target, stopFirst: false, log, ct)));
            var untilWritable = await writable;
            log($"{target.Name} accepted a write {untilWritable.TotalSeconds:0.00} s after the first action");

            List<PostgresNode> followers = [.. others, old];
            await Task.WhenAll(followers.Select(async s =>
            {
                log((await Probes.WaitUntilStreamingAsync(target, s, ct)).ToString());
                await Probes.WaitUntilFollowingAsync(target, s, ct);
            }));
            var untilStreaming = clock.Elapsed;
            log($"every standby streams from {target.Name} {untilStreaming.TotalSeconds:0.00} s after the first action");
            return new RoleChangeResult(new Topology(target, followers), untilWritable, untilStreaming);
        }
        finally
        {
            await stopWriting.CancelAsync();
        }
    }

    /// <summary>The standby of that name; null when no name is given.</summary>
    private static PostgresNode? Named(Topology current, string? name)
    {
        RequireStandby(current);
        return name is null
            ? null
            : current.Standbys.FirstOrDefault(s => s.Name == name)
              ?? throw new RoleChangeException(
                  $"{current.Primary.Name} has no standby named {name}; its standbys are {string.Join(", ", current.Standbys.Select(s => s.Name))}");
    }

    private static async Task<ClusterSurvey> SurveyAsync(Topology current, Action<string> log, CancellationToken ct)
    {
        var survey = await StandbySurvey.TakeAsync(current, ct);
        log($"standbys as {current.Primary.Name} {(survey.PrimaryAnswered ? "sees them" : "(no answer) could not say")}: {string.Join("; ", survey.Standbys)}");
        return survey;
    }

    private static void Warn(IEnumerable<string> warnings, Action<string> log)
    {
        foreach (var warning in warnings)
        {
            log($"warning: {warning}");
        }
    }

    /// <summary>
    /// A clean shutdown ends with a checkpoint record, and the primary's walsenders exit only once
    /// every connected standby has flushed it. So the target either has it by now or was not
    /// streaming; once it has replayed it, it holds everything the primary ever committed.
    /// </summary>
    private static async Task WaitForShutdownCheckpointAsync(
        PostgresNode old, PostgresNode target, Action<string> log, CancellationToken ct)
    {
        var control = await old.ControlDataAsync(ct);
        var state = control.GetValueOrDefault("Database cluster state", "(no state)");
        if (state != "shut down")
        {
            throw new RoleChangeException(
                $"{old.Name} did not shut down cleanly (its control file says '{state}'), so its last commits may be missing on {target.Name}; nothing was promoted");
        }

        var checkpoint = NpgsqlLogSequenceNumber.Parse(control["Latest checkpoint location"]);
        var received = await target.ScalarAsync<NpgsqlLogSequenceNumber?>("SELECT pg_last_wal_receive_lsn()", ct);
        if (!(received > checkpoint))
        {
            throw new RoleChangeException(
                $"{target.Name} received WAL up to {received?.ToString() ?? "(nothing)"}, short of {old.Name}'s shutdown checkpoint at {checkpoint}: it was not streaming when {old.Name} stopped; nothing was promoted");
        }

        // Replay positions are the ends of records: past the checkpoint's start means it is replayed.
        await Probes.WaitForReplayAsync(target, checkpoint + 1, ct);
        log($"{target.Name} replayed {old.Name}'s shutdown checkpoint at {checkpoint}: it has every commit");
    }

    /// <summary>
    /// Assigning a transaction id is a write: it fails on a server in recovery, and its commit waits
    /// for a synchronous standby when the server has one configured.
    /// </summary>
    private static async Task<TimeSpan> WaitUntilWritableAsync(PostgresNode primary, Stopwatch clock, CancellationToken ct)
    {
        await using var connection = new KeptConnection(() => primary.Endpoint);
        await Wait.UntilAsync(
            $"{primary.Name} to accept a write",
            async token =>
            {
                await primary.ThrowIfExitedAsync(token);
                await connection.ScalarAsync<string>("SELECT pg_current_xact_id()::text", token);
                return Probe<bool>.Done(true);
            },
            primary.WaitTimeout,
            ct);
        return clock.Elapsed;
    }

    /// <summary>
    /// A new container on the node's volume, as a standby of the new primary: the image rewinds its
    /// data with pg_rewind when its history left the new primary's, and otherwise just follows it.
    /// </summary>
    private static async Task RejoinAsync(PostgresNode node, PostgresNode primary, bool stopFirst, Action<string> log, CancellationToken ct)
    {
        if (stopFirst)
        {
            // A clean stop spares pg_rewind the crash recovery it would first run on a killed server.
            await node.StopAsync(ct);
        }

        log($"{node.Name} rejoins as a standby of {primary.Name}");
        await node.RecreateAsync(new Dictionary<string, string?> { ["REPLICATION_ROLE"] = "standby", ["PRIMARY_HOST"] = primary.Name }, ct);
        node.RecordRole(primary);
    }

    private static void RequireStandby(Topology current)
    {
        if (current.Standbys.Count == 0)
        {
            throw new RoleChangeException($"{current.Primary.Name} has no standby to promote");
        }
    }
}
