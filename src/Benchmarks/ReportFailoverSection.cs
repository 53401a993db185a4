using System.Globalization;

namespace PostgresReplication.Benchmarks;

/// <summary>The failover section of the report: what was timed, medians per side, and the anchors it is read against.</summary>
internal static class ReportFailoverSection
{
    private static string Median(Summary summary) => MarkdownReport.Number(summary.Median, "0.00");

    public static string Render(FailoverResult failover)
    {
        var table = MarkdownReport.ComparisonTable()
            .Add("primary gone: killed, exited (s)", failover.Step(r => r.PrimaryGone), "0.00")
            .Add("promoted and written, once it was gone (s)", failover.Step(r => r.Writable - r.PrimaryGone), "0.00")
            .Add("**failover: kill to a writable primary (s)**", failover.Writable, "0.00")
            .Add("rejoin: kill to every standby streaming again (s)", failover.AllStreaming, "0.00");
        var writable = failover.Writable;
        string Runs(string side) =>
            string.Join(", ", failover.Runs.Where(r => r.Side == side).Select(r => MarkdownReport.Number(r.Writable.TotalSeconds, "0.00")));
        var repetitions = failover.Runs.Count(r => r.Side == Sides.Container).ToString(CultureInfo.InvariantCulture);
        return $"""
            ## 4. Failover: from losing the primary to a writable primary, and to every standby streaming again

            A fresh pair per run: a primary, standby-1, the seed replicated and verified (not timed). Then, timed from
            the kill: the primary is killed as a lost node would be (container: the engine kills it with SIGKILL, waited
            until it has exited; native: SIGKILL to the postmaster, waited until it has exited), standby-1 is promoted
            with `SELECT pg_promote()` (which waits until the promotion is done), and an INSERT is tried on it every
            50 ms until one commits: **failover to a writable primary**. Then the former primary rejoins as a standby
            of the promoted one by `pg_rewind` on its own data, no new clone, until the promoted one lists it as
            `streaming` in `pg_stat_replication`: **to every standby streaming again**. On both sides this starts with a
            `CHECKPOINT` on the promoted server, as a failover manager does after promoting: the new timeline reaches
            `pg_control` only at the first checkpoint after a promotion, and `pg_rewind` reads it there (before it,
            `pg_rewind` finds "no rewind required" and the former primary never catches up). Container: the former
            primary's container is recreated on its volume with `REPLICATION_ROLE=standby PRIMARY_HOST=standby-1`; the
            image rewinds it and creates its slot by itself. Native: a slot for the former primary, `pg_rewind -R`
            (the password from a passfile), `primary_slot_name` set, start. After each run, untimed, the rejoined
            former primary is checked to hold the row written after the failover. One untimed failover per side comes
            first, then {repetitions} per side, alternating.

            Both sides run with the image's `wal_log_hints = on` and `wal_retrieve_retry_interval = 1s`. A promotion
            requested while the standby waits between attempts to reach the lost primary waits out that interval first.
            In a container it can also wait up to a second for the WAL receiver, which cannot stop in the middle of
            looking up the lost primary's name, a lookup that fails only at the resolver's timeout of 1 s; natively the
            address is 127.0.0.1 and nothing is looked up.

            {table}
            Failover to a writable primary per run (s): container {Runs(Sides.Container)}; native {Runs(Sides.Native)}.

            Median failover to a writable primary: container {Median(writable.ContainerSummary)} s, native {Median(writable.NativeSummary)} s.
            These figures exclude detection: the benchmark promotes the moment the primary is gone, while a failover
            manager must first notice the loss.
            For scale: CloudNativePG documents failover in seconds, and Patroni's default `ttl` is 30 s, i.e. a failure
            is noticed after up to 30 s before any promotion starts. What is measured here is what follows detection.


            """;
    }
}
