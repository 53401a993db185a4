using BuildRunner;
using PostgresReplication;

/// <summary>
/// Day two: a planned switchover and an unplanned failover on the seeded cluster. Each promotes a
/// standby, repoints the others, rejoins the old primary by pg_rewind on its own volume, and ends
/// with AssertReplication on the new topology; Stop then removes everything, as after Test.
/// </summary>
sealed partial class Build
{
    [Parameter("The standby Switchover or Failover promotes, e.g. standby-2 (default: the one holding the most WAL; for Switchover, of those that stream)")]
    readonly string? TargetStandby;

    [Parameter("Failover promotes even when a synchronous standby does not answer or holds more WAL than --target-standby (any standby, if the primary cannot say which are synchronous): the acknowledged commits only it holds are lost")]
    readonly bool ForceFailover;

    Target Switchover => _ => _
        .Description("Stops the primary cleanly, promotes --target-standby (default: the streaming standby holding the most WAL) once it replayed the primary's last WAL, repoints the other standbys, rejoins the old primary by pg_rewind")
        .DependsOn(Seed, StartStandby)
        .Triggers(AssertReplication)
        .Executes(ct => ChangeRolesAsync(
            "switchover", topology => RoleChange.SwitchoverAsync(topology, TargetStandby, Log.Info, ct)));

    Target Failover => _ => _
        .Description("Asks every standby, kills the primary (SIGKILL), promotes the standby holding the most WAL (or --target-standby) but never past a synchronous one it could not ask, repoints the others, rejoins the old primary by pg_rewind")
        .DependsOn(Seed, StartStandby)
        .After(Switchover)
        .Triggers(AssertReplication)
        .Executes(ct => ChangeRolesAsync(
            "failover", topology => RoleChange.FailoverAsync(topology, TargetStandby, ForceFailover, Log.Info, ct)));

    /// <summary>Called before the cluster starts, so a role change that cannot happen costs nothing.</summary>
    void CheckRoleChangeParameters()
    {
        if (ForceFailover && !IsScheduled(nameof(Failover)))
        {
            throw new BuildFailedException("--force-failover changes only what Failover may promote, and Failover is not part of this run; drop it or run Failover");
        }

        if (!IsScheduled(nameof(Switchover)) && !IsScheduled(nameof(Failover)))
        {
            return;
        }

        if (Standbys == 0)
        {
            throw new BuildFailedException("Switchover and Failover promote a standby, and --standbys is 0; use --standbys 1, or 2 to see a standby repointed");
        }

        if (TargetStandby is not null && IsScheduled(nameof(Switchover)) && IsScheduled(nameof(Failover)))
        {
            throw new BuildFailedException("--target-standby names the standby of one role change; run Switchover and Failover one at a time to name a target for each");
        }

        var names = Enumerable.Range(1, Standbys).Select(i => $"standby-{i}").ToList();
        if (TargetStandby is { } target && !names.Contains(target))
        {
            throw new BuildFailedException($"--target-standby {target} is not a standby of this run; with --standbys {Standbys} they are {string.Join(", ", names)}");
        }
    }

    /// <summary>Runs a role change on the current topology and makes its result the one later targets see.</summary>
    async Task ChangeRolesAsync(string kind, Func<Topology, Task<RoleChangeResult>> change) => await ShowingLogsOnFailure(async () =>
    {
        var result = await change(new Topology(Primary, [.. standbys]));
        primary = result.Topology.Primary;
        standbys.Clear();
        standbys.AddRange(result.Topology.Standbys);
        Log.Info($"{kind}: {primary.Name} accepted writes {result.UntilWritable.TotalSeconds:0.00} s after the first action; " +
                 $"every standby streamed from it after {result.UntilStreaming.TotalSeconds:0.00} s");
    });
}
