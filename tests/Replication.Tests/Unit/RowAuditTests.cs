using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class RowAuditTests
{
    private static readonly WriteTally Writes =
        new(LastAttempted: 6, Acknowledged: [1, 2, 3, 5], Failures: 2, new WriteGap(TimeSpan.Zero, TimeSpan.Zero));

    [Fact]
    public void Every_acknowledged_row_present_and_nothing_else_passes()
    {
        // Row 4 was attempted, not acknowledged, and committed anyway: in doubt, allowed
        var audit = RowAudit.Of(Writes, [1, 2, 3, 4, 5]);

        Assert.Empty(audit.MissingAcknowledged);
        Assert.Empty(audit.NeverAttempted);
        Assert.Equal(1, audit.InDoubtPresent);
        Assert.Equal(5, audit.Present);
    }

    [Fact]
    public void An_acknowledged_row_absent_is_missing()
    {
        var audit = RowAudit.Of(Writes, [1, 3, 5]);

        Assert.Equal([2L], audit.MissingAcknowledged);
    }

    [Fact]
    public void A_row_beyond_the_last_attempt_was_never_attempted()
    {
        var audit = RowAudit.Of(Writes, [1, 2, 3, 5, 7, 0]);

        Assert.Equal([0L, 7L], audit.NeverAttempted);
    }
}
