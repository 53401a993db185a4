using System.Globalization;
using System.Text;

namespace PostgresReplication;

/// <summary>
/// The outcome of a chaos run: what was injected, what the writer and the sampler saw, what the
/// leader holds at the end. <see cref="Violations"/> are the invariants that failed (none for a pass);
/// <see cref="ToTable"/> is what the run prints.
/// </summary>
/// <param name="Strict">Whether the cluster ran in strict synchronous mode: only then is an acknowledged row missing a failure (asynchronous mode may lose the last commits by design).</param>
/// <param name="MembersAtEnd">Each member's state at the end, as Patroni reports it (the leader's role, a replica's state).</param>
public sealed record ChaosSummary(
    int Seed,
    TimeSpan Elapsed,
    bool Strict,
    IReadOnlyList<PlannedFault> Faults,
    WriteTally Writes,
    RowAudit Rows,
    SampleSummary Samples,
    IReadOnlyList<MemberAtEnd> MembersAtEnd)
{
    public int FaultCount(FaultKind kind) => Faults.Count(f => f.Kind == kind);

    /// <summary>One line per failed invariant; empty when the run passed.</summary>
    public IReadOnlyList<string> Violations()
    {
        List<string> failed = [];
        if (Faults.Count == 0)
        {
            failed.Add("no fault was injected: give --chaos-duration more seconds");
        }

        if (Writes.Acknowledged.Count == 0)
        {
            failed.Add("the writer had no commit acknowledged");
        }

        if (Strict && Rows.MissingAcknowledged.Count > 0)
        {
            failed.Add($"{Rows.MissingAcknowledged.Count} acknowledged row(s) missing in strict synchronous mode: {Few(Rows.MissingAcknowledged)}");
        }

        if (Rows.NeverAttempted.Count > 0)
        {
            failed.Add($"{Rows.NeverAttempted.Count} row(s) present that the writer never attempted: {Few(Rows.NeverAttempted)}");
        }

        if (Samples.SplitBrain.Count > 0)
        {
            failed.Add($"{Samples.SplitBrain.Count} moment(s) with two writable members, first at {Samples.SplitBrain[0]}");
        }

        failed.AddRange(MembersAtEnd.Where(m => !m.Whole).Select(m => $"{m.Name} is not streaming at the end: {m.State}"));
        return failed;
    }

    public string ToTable()
    {
        var missing = Rows.MissingAcknowledged.Count;
        List<(string, string)> rows =
        [
            ("seed", Seed.ToString(CultureInfo.InvariantCulture)),
            ("elapsed", $"{Elapsed.TotalSeconds:0} s"),
            ("synchronous mode", Strict ? "strict" : "not strict"),
            ("faults", $"{Faults.Count}"),
            .. Enum.GetValues<FaultKind>().Select(kind => ($"  {kind}", $"{FaultCount(kind)}")),
            ("writes attempted", $"{Writes.LastAttempted}"),
            ("writes acknowledged", $"{Writes.Acknowledged.Count}"),
            ("write errors (each retried on a new connection)", $"{Writes.Failures}"),
            ("acknowledged rows missing", Strict ? $"{missing}" : $"{missing} (not strict: not an error)"),
            ("rows present never attempted", $"{Rows.NeverAttempted.Count}"),
            ("rows present, not acknowledged (in doubt)", $"{Rows.InDoubtPresent}"),
            ("moments with two writable members", $"{Samples.SplitBrain.Count} of {Samples.Rounds} samples"),
            ("failovers (leader changes seen)", $"{Samples.Failovers}"),
            ("longest time without a writable leader", $"{Writes.LongestGap.Length.TotalSeconds:0.0} s (from {Writes.LongestGap.From.TotalSeconds:0.0} s)"),
            .. MembersAtEnd.Select(m => ($"{m.Name} at the end", m.State)),
        ];
        var width = rows.Max(r => r.Item1.Length);
        var table = new StringBuilder();
        foreach (var (name, value) in rows)
        {
            table.Append(name.PadRight(width)).Append("  ").AppendLine(value);
        }

        var violations = Violations();
        table.Append(violations.Count == 0 ? "every invariant held" : $"FAILED: {string.Join("; ", violations)}");
        return table.ToString();
    }

    private static string Few(IReadOnlyList<long> rows) =>
        string.Join(", ", rows.Take(10)) + (rows.Count > 10 ? $" and {rows.Count - 10} more" : "");
}

/// <summary>A member as Patroni reports it at the end: whole when it is the leader or a streaming replica.</summary>
public sealed record MemberAtEnd(string Name, string State, bool Whole);
