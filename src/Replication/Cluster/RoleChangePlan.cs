using NpgsqlTypes;

namespace PostgresReplication;

/// <summary>
/// What a role change knows of one standby: whether it answered, and if so whether it is in
/// recovery and how much WAL it holds; and how the primary sees it in pg_stat_replication
/// (null there when the primary did not list it or did not answer).
/// </summary>
public sealed record StandbyState(string Name)
{
    public bool Answered { get; init; }

    public bool InRecovery { get; init; }

    /// <summary>The primary's pg_stat_replication.state for it, e.g. "streaming" or "catchup".</summary>
    public string? ReplicationState { get; init; }

    /// <summary>The primary's pg_stat_replication.sync_state for it: "sync", "quorum", "potential" or "async".</summary>
    public string? SyncState { get; init; }

    public NpgsqlLogSequenceNumber? Received { get; init; }

    public NpgsqlLogSequenceNumber? Replayed { get; init; }

    /// <summary>
    /// How far it holds WAL: received (flushed), not only replayed, since a promotion replays
    /// everything received first, and with synchronous_commit = on an acknowledged commit is only
    /// known to be flushed on its synchronous standby.
    /// </summary>
    public NpgsqlLogSequenceNumber? Held => (Received, Replayed) switch
    {
        ({ } received, { } replayed) => received > replayed ? received : replayed,
        (var received, var replayed) => received ?? replayed,
    };

    /// <summary>Holds every commit acknowledged to a client, or, under ANY n, may be the one that does.</summary>
    public bool IsSynchronous => SyncState is "sync" or "quorum";

    public bool Streams => ReplicationState == "streaming";

    public override string ToString() => Answered
        ? $"{Name}: {(InRecovery ? "in recovery" : "NOT in recovery")}, {ReplicationState ?? "not connected"} ({SyncState ?? "no sync_state"}), " +
          $"received {Received?.ToString() ?? "-"}, replayed {Replayed?.ToString() ?? "-"}"
        : $"{Name}: no answer ({ReplicationState ?? "not connected"}, {SyncState ?? "no sync_state"})";
}

/// <summary>Every standby's state at one moment; <paramref name="PrimaryAnswered"/> false leaves every sync_state unknown.</summary>
public sealed record ClusterSurvey(string Primary, bool PrimaryAnswered, IReadOnlyList<StandbyState> Standbys)
{
    /// <summary>Synchronous as the primary said, or possibly so when the primary could not be asked.</summary>
    public bool MaybeSynchronous(StandbyState standby) => !PrimaryAnswered || standby.IsSynchronous;

    public StandbyState this[string name] => Standbys.Single(s => s.Name == name);
}

/// <summary>The standby a failover promotes, and what the user must be told about the others.</summary>
public sealed record FailoverChoice(string Target, IReadOnlyList<string> Warnings);

/// <summary>
/// Which standby a role change promotes, decided on surveyed states alone (no server is touched
/// here). A refusal is a <see cref="RoleChangeException"/> whose one line says what was done and
/// how to go on.
/// </summary>
public static class RoleChangePlan
{
    private const string HowToForce = "force it with --force-failover (FORCE_FAILOVER=true) to accept losing what only that standby holds";

    /// <summary>
    /// A switchover promotes only a standby that streams: one that does not cannot have the clean
    /// shutdown's last checkpoint. Without a name, the streaming one holding the most WAL (the
    /// least to replay), the first of them on a tie.
    /// </summary>
    public static string ChooseSwitchoverTarget(ClusterSurvey survey, string? target)
    {
        if (target is not null)
        {
            var named = survey[target];
            return named is { Answered: true, InRecovery: true } && named.Streams
                ? target
                : throw new RoleChangeException($"switchover refused, nothing was stopped: {named}; {target} must answer and stream from {survey.Primary}");
        }

        var streaming = survey.Standbys.Where(s => s is { Answered: true, InRecovery: true } && s.Streams).ToList();
        return streaming.Count > 0
            ? streaming.MaxBy(s => s.Held)!.Name
            : throw new RoleChangeException(
                $"switchover refused, nothing was stopped: no standby answers and streams from {survey.Primary} ({string.Join("; ", survey.Standbys)})");
    }

    /// <summary>
    /// Before the primary is killed: a named target must answer, and no synchronous standby (any
    /// standby, when the primary could not say which are) may be out of reach unless forced,
    /// since only it is known to hold every acknowledged commit.
    /// </summary>
    /// <returns>Warnings for standbys that will be left out.</returns>
    public static IReadOnlyList<string> CheckBeforeKill(ClusterSurvey survey, string? target, bool force)
    {
        var refused = $"failover refused before killing {survey.Primary}, nothing was done:";
        if (target is not null && survey[target] is var named && !(named.Answered && named.InRecovery))
        {
            throw new RoleChangeException($"{refused} --target-standby {named}; start it or name another standby");
        }

        if (!survey.Standbys.Any(s => s.Answered && s.InRecovery))
        {
            throw new RoleChangeException($"{refused} no standby answers in recovery ({string.Join("; ", survey.Standbys)})");
        }

        List<string> warnings = [];
        foreach (var absent in survey.Standbys.Where(s => !s.Answered))
        {
            if (!survey.MaybeSynchronous(absent))
            {
                warnings.Add($"{absent.Name} does not answer; as an asynchronous standby it is left out and rejoins afterwards");
            }
            else if (force)
            {
                warnings.Add($"{absent.Name} does not answer and {WhySynchronous(survey, absent)}; forced: commits only it holds are lost");
            }
            else
            {
                throw new RoleChangeException(
                    $"{refused} {absent.Name} does not answer and {WhySynchronous(survey, absent)}, so only it may hold the last acknowledged commits; bring it back, or {HowToForce}");
            }
        }

        return warnings;
    }

    /// <summary>
    /// After the kill: the standby holding the most WAL (a synchronous one holds every acknowledged
    /// commit, so the one holding the most holds them too). A synchronous standby that answered
    /// before but no longer does, or a named target holding less than a synchronous standby,
    /// would lose acknowledged commits: refused unless forced.
    /// </summary>
    /// <param name="before">The survey before the kill, which alone knows the sync states.</param>
    /// <param name="after">The standbys that answered before, asked again after the kill.</param>
    public static FailoverChoice ChooseAfterKill(ClusterSurvey before, IReadOnlyList<StandbyState> after, string? target, bool force)
    {
        var refused = $"failover stopped after killing {before.Primary}, nothing was promoted:";
        List<string> warnings = [];
        foreach (var lost in after.Where(s => !(s.Answered && s.InRecovery)))
        {
            if (!before.MaybeSynchronous(before[lost.Name]))
            {
                warnings.Add($"{lost.Name} no longer answers; as an asynchronous standby it is left out and rejoins afterwards");
            }
            else if (force || lost.Name == target)
            {
                // A named target that vanished is refused below with its own reason.
                warnings.Add($"{lost.Name} no longer answers and {WhySynchronous(before, before[lost.Name])}; forced: commits only it holds are lost");
            }
            else
            {
                throw new RoleChangeException(
                    $"{refused} {lost.Name} no longer answers and {WhySynchronous(before, before[lost.Name])}; bring it back and fail over again, or {HowToForce}");
            }
        }

        var answered = after.Where(s => s.Answered && s.InRecovery && s.Held is not null).ToList();
        if (answered.Count == 0)
        {
            throw new RoleChangeException($"{refused} no standby answered in recovery ({string.Join("; ", after)}); start one and fail over again");
        }

        var best = answered.MaxBy(s => s.Held)!;
        if (target is null)
        {
            return new FailoverChoice(best.Name, warnings);
        }

        var named = answered.FirstOrDefault(s => s.Name == target)
            ?? throw new RoleChangeException($"{refused} --target-standby {after.Single(s => s.Name == target)}; start it and fail over again, or name another standby");
        var ahead = answered.Where(s => s.Held > named.Held).ToList();
        if (ahead.FirstOrDefault(s => before.MaybeSynchronous(before[s.Name])) is { } synchronous && !force)
        {
            throw new RoleChangeException(
                $"{refused} --target-standby {target} holds WAL up to {named.Held}, {synchronous.Name} (which {WhySynchronous(before, before[synchronous.Name])}) up to {synchronous.Held}; name {best.Name}, or {HowToForce}");
        }

        if (ahead.Count > 0)
        {
            warnings.Add($"{target} holds WAL up to {named.Held}, {best.Name} up to {best.Held}: what {target} lacks is lost");
        }

        return new FailoverChoice(target, warnings);
    }

    private static string WhySynchronous(ClusterSurvey survey, StandbyState standby) => survey.PrimaryAnswered
        ? $"is a synchronous standby (sync_state {standby.SyncState})"
        : $"may be a synchronous standby ({survey.Primary} did not answer to say)";
}
