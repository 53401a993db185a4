namespace PostgresReplication;

/// <summary>
/// Compares the rows the leader holds at the end with what the writer recorded. An acknowledged row
/// that is missing is a lost commit; a row never attempted is one nobody wrote. Rows attempted but
/// not acknowledged may be either present or absent: the client never learnt their fate.
/// </summary>
public sealed record RowAudit(IReadOnlyList<long> MissingAcknowledged, IReadOnlyList<long> NeverAttempted, int Present, int InDoubtPresent)
{
    public static RowAudit Of(WriteTally writes, IReadOnlyCollection<long> present)
    {
        var presentSet = present.ToHashSet();
        var acknowledged = writes.Acknowledged.ToHashSet();
        var missing = writes.Acknowledged.Where(row => !presentSet.Contains(row)).Order().ToList();
        var neverAttempted = present.Where(row => row < 1 || row > writes.LastAttempted).Order().ToList();
        var inDoubtPresent = present.Count(row => row >= 1 && row <= writes.LastAttempted && !acknowledged.Contains(row));
        return new RowAudit(missing, neverAttempted, presentSet.Count, inDoubtPresent);
    }
}
