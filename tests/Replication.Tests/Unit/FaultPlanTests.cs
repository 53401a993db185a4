using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class FaultPlanTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(20);

    [Fact]
    public void The_same_seed_gives_the_same_faults_parameters_and_pauses()
    {
        // Given two plans from one seed
        var first = new FaultPlan(1, Ttl).Faults().Take(50).ToList();
        var second = new FaultPlan(1, Ttl).Faults().Take(50).ToList();

        // Then they are the same, fault by fault
        Assert.Equal(first, second);
    }

    [Fact]
    public void Another_seed_gives_another_sequence()
    {
        var one = new FaultPlan(1, Ttl).Faults().Take(20).Select(f => (f.Kind, f.Before));
        var two = new FaultPlan(2, Ttl).Faults().Take(20).Select(f => (f.Kind, f.Before));

        Assert.NotEqual(one, two);
    }

    [Fact]
    public void Every_kind_of_fault_comes_up_in_a_long_run()
    {
        var kinds = new FaultPlan(7, Ttl).Faults().Take(60).Select(f => f.Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<FaultKind>().ToHashSet(), kinds);
    }

    [Fact]
    public void A_paused_or_cut_off_leader_stays_so_longer_than_the_leader_key_lives()
    {
        var held = new FaultPlan(3, Ttl).Faults().Take(200)
            .Where(f => f.Kind is FaultKind.PauseLeader or FaultKind.IsolateLeader).ToList();

        Assert.NotEmpty(held);
        Assert.All(held, f => Assert.InRange(f.Hold, Ttl + TimeSpan.FromSeconds(5), Ttl + TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public void Targets_are_within_the_cluster_and_numbers_count_from_one()
    {
        var faults = new FaultPlan(11, Ttl).Faults().Take(200).ToList();

        Assert.Equal(Enumerable.Range(1, 200), faults.Select(f => f.Number));
        Assert.All(faults, f =>
        {
            Assert.InRange(f.Replica, 0, FaultPlan.Replicas - 1);
            Assert.InRange(f.Etcd, 0, FaultPlan.EtcdMembers - 1);
            Assert.InRange(f.Before, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8));
        });
    }

    [Fact]
    public void A_fault_reads_as_what_is_done()
    {
        var fault = new PlannedFault(1, FaultKind.KillTwoMembers, TimeSpan.FromSeconds(3), 1, true, 0, TimeSpan.FromSeconds(4));

        Assert.Equal("kill -9 the leader and replica 2, down 4 s", fault.ToString());
    }
}
