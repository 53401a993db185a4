using System.Diagnostics;

namespace PostgresReplication;

/// <summary>
/// Injects one planned fault into a whole cluster, holds it for the planned time, heals it
/// (start, unpause, reconnect) and waits until the cluster is whole again: a leader, and every
/// member streaming from it. The next fault starts from there.
/// </summary>
/// <param name="slowHeal">A heal that takes longer prints every container's last lines (default a minute): a run keeps its logs only when an invariant breaks, and a slow heal breaks none.</param>
public sealed class FaultInjector(IChaosCluster cluster, Stopwatch clock, Action<string> log, TimeSpan? slowHeal = null)
{
    private readonly TimeSpan _slowHeal = slowHeal ?? TimeSpan.FromMinutes(1);

    /// <summary>After a heal: a failover (the lease, then an election) plus a rewind and a catch-up, on a loaded machine.</summary>
    public static readonly TimeSpan WholeAgainWithin = TimeSpan.FromSeconds(180);

    public async Task<FaultTargets> InjectAndHealAsync(PlannedFault fault, CancellationToken ct)
    {
        var leader = await cluster.LeaderAsync(ct) ?? throw new InvalidOperationException("a fault starts from a whole cluster, and there is no leader");
        var targets = FaultTargets.Resolve(fault, leader, cluster.Members, cluster.EtcdMembers);
        log($"fault {fault.Number} at {clock.Elapsed.TotalSeconds:0.0} s: {fault} ({targets}; leader {leader})");
        await BreakAsync(fault.Kind, targets, ct);
        // The fault's planned length, not a wait for a condition: this is the outage itself.
        await Task.Delay(fault.Hold, ct);
        await HealAsync(fault.Kind, targets, ct);
        var healed = clock.Elapsed;
        await WaitUntilWholeAsync($"the cluster to be whole again after fault {fault.Number} ({fault})", ct);
        var whole = clock.Elapsed;
        log($"fault {fault.Number} healed at {healed.TotalSeconds:0.0} s; whole again at {whole.TotalSeconds:0.0} s, leader {await cluster.LeaderAsync(ct)}");
        if (whole - healed > _slowHeal)
        {
            log($"fault {fault.Number} took {(whole - healed).TotalSeconds:0} s to heal (more than {_slowHeal.TotalSeconds:0} s); each container's last lines:");
            log(await cluster.LastLogLinesAsync(80, ct));
        }
        return targets;
    }

    /// <summary>Exactly one leader and every other member streaming from it.</summary>
    public Task WaitUntilWholeAsync(string description, CancellationToken ct) =>
        Wait.UntilAsync(
            description,
            async token =>
            {
                var states = await cluster.MemberStatesAsync(token);
                var summary = string.Join(", ", states.Select(s => $"{s.Name} {s.State}"));
                return states.All(s => s.Whole) && states.Count == cluster.Members.Count
                    ? Probe<bool>.Done(true, summary)
                    : Probe<bool>.NotYet(summary);
            },
            WholeAgainWithin,
            ct);

    private Task BreakAsync(FaultKind kind, FaultTargets targets, CancellationToken ct) => kind switch
    {
        FaultKind.KillLeader or FaultKind.KillReplica or FaultKind.KillTwoMembers =>
            Task.WhenAll(targets.Members.Select(m => cluster.KillAsync(m, ct))),
        FaultKind.PauseLeader => cluster.PauseAsync(targets.Members[0], ct),
        FaultKind.IsolateLeader => cluster.IsolateAsync(targets.Members[0], ct),
        // A restart is its own heal: the member is back when the call returns.
        FaultKind.RestartEtcd => cluster.RestartEtcdAsync(targets.Etcd!, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private Task HealAsync(FaultKind kind, FaultTargets targets, CancellationToken ct) => kind switch
    {
        FaultKind.KillLeader or FaultKind.KillReplica or FaultKind.KillTwoMembers =>
            Task.WhenAll(targets.Members.Select(m => cluster.StartAsync(m, ct))),
        FaultKind.PauseLeader => cluster.UnpauseAsync(targets.Members[0], ct),
        FaultKind.IsolateLeader => cluster.RejoinAsync(targets.Members[0], ct),
        FaultKind.RestartEtcd => Task.CompletedTask,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
