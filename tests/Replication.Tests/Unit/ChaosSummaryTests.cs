using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class ChaosSummaryTests
{
    private static readonly PlannedFault Kill =
        new(1, FaultKind.KillLeader, TimeSpan.FromSeconds(2), 0, false, 0, TimeSpan.FromSeconds(3));

    private static ChaosSummary Passing() => new(
        Seed: 1,
        Elapsed: TimeSpan.FromSeconds(120),
        Strict: true,
        Faults: [Kill, Kill with { Number = 2, Kind = FaultKind.RestartEtcd }],
        Writes: new WriteTally(10, [1, 2, 3], 4, new WriteGap(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(21))),
        Rows: new RowAudit([], [], 3, 0),
        Samples: new SampleSummary(1200, 40, [], 1, "patroni-2"),
        MembersAtEnd: [new("patroni-1", "streaming", true), new("patroni-2", "leader", true)]);

    [Fact]
    public void A_clean_run_has_no_violation_and_says_so()
    {
        var summary = Passing();

        Assert.Empty(summary.Violations());
        Assert.Equal(1, summary.FaultCount(FaultKind.RestartEtcd));
        Assert.EndsWith("every invariant held", summary.ToTable());
        Assert.Contains("21.0 s (from 5.0 s)", summary.ToTable());
    }

    [Fact]
    public void Each_broken_invariant_is_one_violation()
    {
        var summary = Passing() with
        {
            Rows = new RowAudit([2], [11], 3, 0),
            Samples = new SampleSummary(1200, 40, [new SplitBrainMoment(TimeSpan.FromSeconds(3), ["patroni-1", "patroni-2"])], 1, null),
            MembersAtEnd = [new("patroni-1", "stopped", false)],
        };

        var violations = summary.Violations();

        Assert.Equal(4, violations.Count);
        Assert.Contains(violations, v => v.StartsWith("1 acknowledged row(s) missing", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("1 row(s) present that the writer never attempted", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("3.0 s: patroni-1 and patroni-2", StringComparison.Ordinal));
        Assert.Contains("patroni-1 is not streaming at the end: stopped", violations);
        Assert.StartsWith("FAILED: ", summary.ToTable().Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_rows_fail_only_in_strict_mode()
    {
        var summary = Passing() with { Strict = false, Rows = new RowAudit([2], [], 3, 0) };

        Assert.Empty(summary.Violations());
    }

    [Fact]
    public void A_run_without_faults_proves_nothing()
    {
        var summary = Passing() with { Faults = [] };

        Assert.Contains(summary.Violations(), v => v.Contains("--chaos-duration", StringComparison.Ordinal));
    }
}
