namespace PostgresReplication;

/// <summary>The faults a chaos run injects; each is healed before the next one starts.</summary>
public enum FaultKind
{
    /// <summary>kill -9 of the leader's container.</summary>
    KillLeader,

    /// <summary>kill -9 of one replica's container.</summary>
    KillReplica,

    /// <summary>kill -9 of two members' containers at once (the leader and a replica, or both replicas).</summary>
    KillTwoMembers,

    /// <summary>The leader frozen (docker pause) for longer than the leader key lives.</summary>
    PauseLeader,

    /// <summary>The leader cut off the cluster network: from etcd and from its replicas, while it still runs.</summary>
    IsolateLeader,

    /// <summary>One etcd member stopped and started again.</summary>
    RestartEtcd,
}

/// <summary>
/// One fault of a plan. Its targets are roles, not names ("the leader", "replica k" in name order,
/// "etcd member k"): which member holds a role is only known when the fault starts.
/// </summary>
/// <param name="Number">1 for the first fault of a run.</param>
/// <param name="Before">The quiet time between the cluster being whole again and this fault.</param>
/// <param name="Replica">Which replica, for the faults that take one (an index into the replicas by name).</param>
/// <param name="WithLeader">For <see cref="FaultKind.KillTwoMembers"/>: the leader and replica <paramref name="Replica"/>, else both replicas.</param>
/// <param name="Etcd">Which etcd member, for <see cref="FaultKind.RestartEtcd"/>.</param>
/// <param name="Hold">How long the fault lasts before it is healed: a killed container stays down, a paused or cut off leader stays so.</param>
public sealed record PlannedFault(int Number, FaultKind Kind, TimeSpan Before, int Replica, bool WithLeader, int Etcd, TimeSpan Hold)
{
    public override string ToString() => Kind switch
    {
        FaultKind.KillLeader => $"kill -9 the leader, down {Seconds(Hold)}",
        FaultKind.KillReplica => $"kill -9 replica {Replica + 1}, down {Seconds(Hold)}",
        FaultKind.KillTwoMembers => WithLeader
            ? $"kill -9 the leader and replica {Replica + 1}, down {Seconds(Hold)}"
            : $"kill -9 both replicas, down {Seconds(Hold)}",
        FaultKind.PauseLeader => $"pause the leader for {Seconds(Hold)}",
        FaultKind.IsolateLeader => $"cut the leader off the cluster network for {Seconds(Hold)}",
        FaultKind.RestartEtcd => $"restart etcd-{Etcd + 1}",
        _ => Kind.ToString(),
    };

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0} s";
}

/// <summary>
/// The faults of a run, drawn from <see cref="Random"/> seeded with the run's seed and nothing else:
/// the same seed and leader key lifetime give the same kinds, parameters and pauses, so a failing run
/// can be replayed. The sequence is endless; the run takes faults while its duration lasts.
/// </summary>
public sealed record FaultPlan(int Seed, TimeSpan LeaderTtl)
{
    /// <summary>Replicas and etcd members of the cluster a plan is for (three members, three etcd).</summary>
    public const int Replicas = 2;

    public const int EtcdMembers = 3;

    private static readonly FaultKind[] Kinds = Enum.GetValues<FaultKind>();

    public IEnumerable<PlannedFault> Faults()
    {
        var random = new Random(Seed);
        for (var number = 1; ; number++)
        {
            // Every draw happens for every fault, in this order, whatever the kind: a change to one
            // kind's parameters never shifts the sequence of kinds.
            var kind = Kinds[random.Next(Kinds.Length)];
            var before = TimeSpan.FromSeconds(random.Next(2, 9));
            var replica = random.Next(Replicas);
            var withLeader = random.Next(2) == 0;
            var etcd = random.Next(EtcdMembers);
            var down = TimeSpan.FromSeconds(random.Next(0, 11));
            // Past the lease by 5 to 15 s, so the other members always see it expire.
            var beyondTtl = LeaderTtl + TimeSpan.FromSeconds(random.Next(5, 16));
            var hold = kind is FaultKind.PauseLeader or FaultKind.IsolateLeader ? beyondTtl
                : kind is FaultKind.RestartEtcd ? TimeSpan.Zero
                : down;
            yield return new PlannedFault(number, kind, before, replica, withLeader, etcd, hold);
        }
    }
}
