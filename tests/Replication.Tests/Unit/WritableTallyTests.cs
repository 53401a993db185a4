using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class WritableTallyTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Two_writable_members_in_one_round_is_a_split_brain_moment()
    {
        var tally = new WritableTally();

        tally.Round(S(0.1), ["patroni-1"], 0);
        tally.Round(S(0.2), ["patroni-2", "patroni-1"], 1);

        var summary = tally.Summary();
        Assert.Equal(2, summary.Rounds);
        Assert.Equal(1, summary.Unanswered);
        var moment = Assert.Single(summary.SplitBrain);
        Assert.Equal(["patroni-1", "patroni-2"], moment.Writable);
        Assert.Equal(S(0.2), moment.At);
    }

    [Fact]
    public void A_failover_is_the_one_writable_member_becoming_another()
    {
        // Given a leader, a time without any, another leader, the first again
        var tally = new WritableTally();
        tally.Round(S(1), ["patroni-1"], 0);
        tally.Round(S(2), [], 1);
        tally.Round(S(3), ["patroni-2"], 1);
        tally.Round(S(4), ["patroni-2"], 0);
        tally.Round(S(5), ["patroni-1"], 0);

        // Then two failovers were seen, the first leader is not one
        var summary = tally.Summary();
        Assert.Equal(2, summary.Failovers);
        Assert.Equal("patroni-1", summary.LastLeader);
        Assert.Empty(summary.SplitBrain);
    }
}
