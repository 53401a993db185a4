using System.Diagnostics;
using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class FaultInjectorTests
{
    private static readonly string[] Members = ["patroni-1", "patroni-2", "patroni-3"];
    private static readonly string[] Etcd = ["etcd-1", "etcd-2", "etcd-3"];

    private static PlannedFault Fault(FaultKind kind, int replica = 0, bool withLeader = false, int etcd = 0) =>
        new(1, kind, TimeSpan.Zero, replica, withLeader, etcd, TimeSpan.Zero);

    [Theory]
    [InlineData(FaultKind.KillLeader, 0, false, "patroni-2")]
    [InlineData(FaultKind.KillReplica, 0, false, "patroni-1")]
    [InlineData(FaultKind.KillReplica, 1, false, "patroni-3")]
    [InlineData(FaultKind.KillTwoMembers, 1, true, "patroni-2 and patroni-3")]
    [InlineData(FaultKind.KillTwoMembers, 1, false, "patroni-1 and patroni-3")]
    [InlineData(FaultKind.PauseLeader, 1, false, "patroni-2")]
    [InlineData(FaultKind.IsolateLeader, 0, false, "patroni-2")]
    public void Roles_become_the_members_that_hold_them_when_the_fault_starts(FaultKind kind, int replica, bool withLeader, string expected)
    {
        // Given patroni-2 leads, so the replicas are patroni-1 and patroni-3
        var targets = FaultTargets.Resolve(Fault(kind, replica, withLeader), "patroni-2", Members, Etcd);

        Assert.Equal(expected, targets.ToString());
    }

    [Fact]
    public void An_etcd_restart_names_an_etcd_member()
    {
        var targets = FaultTargets.Resolve(Fault(FaultKind.RestartEtcd, etcd: 2), "patroni-1", Members, Etcd);

        Assert.Equal("etcd-3", targets.Etcd);
        Assert.Empty(targets.Members);
    }

    [Theory]
    [InlineData(FaultKind.KillTwoMembers, "kill patroni-1|kill patroni-2|start patroni-1|start patroni-2")]
    [InlineData(FaultKind.PauseLeader, "pause patroni-1|unpause patroni-1")]
    [InlineData(FaultKind.IsolateLeader, "isolate patroni-1|rejoin patroni-1")]
    [InlineData(FaultKind.RestartEtcd, "restart etcd-1")]
    public async Task Each_fault_is_healed_before_the_cluster_is_waited_for(FaultKind kind, string expected)
    {
        // Given a cluster led by patroni-1
        var cluster = new RecordingCluster("patroni-1");
        var injector = new FaultInjector(cluster, Stopwatch.StartNew(), _ => { });

        // When a fault (with the leader, for two members) is injected and healed
        await injector.InjectAndHealAsync(Fault(kind, withLeader: true), CancellationToken.None);

        // Then each break has its heal, and the wait for a whole cluster came last
        Assert.Equal(expected, string.Join('|', cluster.Actions.Order(StringComparer.Ordinal).Where(a => a != "states")));
        Assert.Equal("states", cluster.Actions[^1]);
    }

    [Fact]
    public async Task A_heal_slower_than_the_bound_prints_the_containers_last_lines_and_a_quick_one_does_not()
    {
        var logged = new List<string>();
        var quick = new RecordingCluster("patroni-1");
        await new FaultInjector(quick, Stopwatch.StartNew(), logged.Add).InjectAndHealAsync(Fault(FaultKind.KillLeader), CancellationToken.None);
        Assert.DoesNotContain("logs", quick.Actions);

        // A bound of zero makes every heal slow
        var slow = new RecordingCluster("patroni-1");
        await new FaultInjector(slow, Stopwatch.StartNew(), logged.Add, TimeSpan.Zero).InjectAndHealAsync(Fault(FaultKind.KillLeader), CancellationToken.None);
        Assert.Equal("logs", slow.Actions[^1]);
        Assert.Equal("the containers' last lines", logged[^1]);
    }

    [Fact]
    public async Task A_cluster_that_does_not_become_whole_fails_the_wait_saying_what_it_saw()
    {
        var cluster = new RecordingCluster("patroni-1") { Whole = false };
        var injector = new FaultInjector(cluster, Stopwatch.StartNew(), _ => { });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // The caller's token ends the wait here; the real deadline is minutes
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            injector.WaitUntilWholeAsync("a whole cluster", cancel.Token));
    }

    /// <summary>A cluster that records what was done to it and is whole whenever asked.</summary>
    private sealed class RecordingCluster(string leader) : IChaosCluster
    {
        public List<string> Actions { get; } = [];

        public bool Whole { get; init; } = true;

        public IReadOnlyList<string> Members => FaultInjectorTests.Members;

        public IReadOnlyList<string> EtcdMembers => Etcd;

        public TimeSpan LeaderTtl => TimeSpan.FromSeconds(20);

        public bool Strict => true;

        public PgEndpoint ReadWrite => new(1, "postgres", "unused", "postgres");

        public IReadOnlyList<ObservedMember> Observed => [];

        public Task<string?> LeaderAsync(CancellationToken ct) => Task.FromResult<string?>(leader);

        public Task<IReadOnlyList<MemberAtEnd>> MemberStatesAsync(CancellationToken ct)
        {
            Record("states");
            return Task.FromResult<IReadOnlyList<MemberAtEnd>>(
                [.. Members.Select(m => new MemberAtEnd(m, Whole ? "streaming" : "stopped", Whole))]);
        }

        public Task KillAsync(string member, CancellationToken ct) => Record($"kill {member}");

        public Task StartAsync(string member, CancellationToken ct) => Record($"start {member}");

        public Task PauseAsync(string member, CancellationToken ct) => Record($"pause {member}");

        public Task UnpauseAsync(string member, CancellationToken ct) => Record($"unpause {member}");

        public Task IsolateAsync(string member, CancellationToken ct) => Record($"isolate {member}");

        public Task RejoinAsync(string member, CancellationToken ct) => Record($"rejoin {member}");

        public Task RestartEtcdAsync(string etcdMember, CancellationToken ct) => Record($"restart {etcdMember}");

        public async Task<string> LastLogLinesAsync(int lines, CancellationToken ct)
        {
            await Record("logs");
            return "the containers' last lines";
        }

        private Task Record(string action)
        {
            lock (Actions)
            {
                Actions.Add(action);
            }

            return Task.CompletedTask;
        }
    }
}
