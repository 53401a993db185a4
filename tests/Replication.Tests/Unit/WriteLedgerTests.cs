using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class WriteLedgerTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void The_longest_gap_is_between_two_acknowledgements()
    {
        // Given acknowledgements at 1, 2, 9 and 10 s
        var ledger = new WriteLedger();
        foreach (var (row, at) in new[] { (1L, 1.0), (2L, 2.0), (3L, 9.0), (4L, 10.0) })
        {
            ledger.Attempted(row);
            ledger.Acknowledged(row, S(at));
        }

        // When the run ends at 11 s
        ledger.Close(S(11));

        // Then the longest time without a write is the 7 s from 2 s on
        Assert.Equal(new WriteGap(S(2), S(7)), ledger.Tally().LongestGap);
    }

    [Fact]
    public void A_run_ending_without_a_leader_counts_until_its_end()
    {
        var ledger = new WriteLedger();
        ledger.Attempted(1);
        ledger.Acknowledged(1, S(1));
        ledger.Attempted(2);
        ledger.Failed();

        ledger.Close(S(30));

        var tally = ledger.Tally();
        Assert.Equal(new WriteGap(S(1), S(29)), tally.LongestGap);
        Assert.Equal(2, tally.LastAttempted);
        Assert.Equal([1L], tally.Acknowledged);
        Assert.Equal(1, tally.Failures);
    }

    [Fact]
    public void An_acknowledgement_of_a_row_never_attempted_is_refused()
    {
        var ledger = new WriteLedger();
        ledger.Attempted(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Acknowledged(2, S(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Attempted(3));
    }

    [Fact]
    public void The_first_acknowledgement_after_a_row_is_of_a_row_sent_after_it()
    {
        // Given rows 1 and 2 acknowledged, row 3 lost with the old leader, row 5 acknowledged before row 4
        var ledger = new WriteLedger();
        for (var row = 1L; row <= 5; row++)
        {
            ledger.Attempted(row);
        }

        ledger.Acknowledged(1, S(1));
        ledger.Acknowledged(2, S(2));
        ledger.Acknowledged(5, S(25));
        ledger.Acknowledged(4, S(26));

        // When asked for the first row after row 2, the last one sent before the leader was gone
        var first = ledger.FirstAcknowledgedAfter(2);

        // Then it is row 4, the lowest row after 2 acknowledged, with its own time; none after row 5
        Assert.Equal((4L, S(26)), first);
        Assert.Null(ledger.FirstAcknowledgedAfter(5));
        Assert.Equal(5, ledger.LastAttempted);
    }
}
