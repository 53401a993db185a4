namespace PostgresReplication;

/// <summary>
/// A planned fault made concrete at the moment it starts: the roles in the plan ("the leader",
/// "replica k") become member names. Replicas are the members other than the leader, in name order.
/// </summary>
public sealed record FaultTargets(IReadOnlyList<string> Members, string? Etcd)
{
    public static FaultTargets Resolve(PlannedFault fault, string leader, IReadOnlyList<string> members, IReadOnlyList<string> etcdMembers)
    {
        var replicas = members.Where(m => m != leader).Order(StringComparer.Ordinal).ToList();
        var replica = replicas[fault.Replica % replicas.Count];
        return fault.Kind switch
        {
            FaultKind.KillLeader or FaultKind.PauseLeader or FaultKind.IsolateLeader => new([leader], null),
            FaultKind.KillReplica => new([replica], null),
            FaultKind.KillTwoMembers => new(fault.WithLeader ? [leader, replica] : replicas, null),
            FaultKind.RestartEtcd => new([], etcdMembers[fault.Etcd % etcdMembers.Count]),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "no targets for this kind of fault"),
        };
    }

    public override string ToString() => Etcd ?? string.Join(" and ", Members);
}
