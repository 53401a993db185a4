using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>The lag section of the report: one table per commit mode, and the plot.</summary>
internal static class ReportLagSection
{
    public static string Render(LagResult lag)
    {
        var md = new StringBuilder();
        md.AppendLine("## 2. Replication lag under load");
        md.AppendLine();
        md.AppendLine(
            $"`pgbench -c {lag.Clients} -R {lag.Rate} -T {lag.Duration.TotalSeconds:0}` (TPC-B-like, scale {lag.Scale}) from the host " +
            $"against the primary, while the primary's `pg_stat_replication` is read every {lag.SampleInterval.TotalMilliseconds:0} ms: " +
            "replay lag in bytes is `pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)`, replay_lag is the server's own. " +
            "Each run starts from a checkpoint with the standby caught up. Percentiles are per run (nearest rank); " +
            "the table gives their min and median over the runs.");
        md.AppendLine();
        foreach (var mode in new[] { CommitMode.Asynchronous, CommitMode.Synchronous })
        {
            md.AppendLine(mode == CommitMode.Asynchronous
                ? "### Asynchronous"
                : $"### Synchronous (`synchronous_standby_names` = the standby, `synchronous_commit = {lag.SynchronousCommit}`)");
            md.AppendLine();
            md.AppendLine(Table(lag, mode).ToString());
            md.AppendLine($"p99 per run (B): container {PerRun(lag, Sides.Container, mode)}; native {PerRun(lag, Sides.Native, mode)}.");
            md.AppendLine();
        }

        md.AppendLine(
            $"![Replay lag in bytes over time during an asynchronous run, container and native]({BenchmarkSuite.PlotFileName})");
        md.AppendLine();
        md.AppendLine("The plot shows, for each side, the asynchronous run whose p99 is the median of that side's runs.");
        md.AppendLine();
        return md.ToString();
    }

    private static string PerRun(LagResult lag, string side, CommitMode mode) =>
        string.Join(", ", lag.Of(side, mode).Select(r => MarkdownReport.Number(r.Bytes.P99, "N0")));

    private static MarkdownTable Table(LagResult lag, CommitMode mode)
    {
        var table = MarkdownReport.ComparisonTable()
            .Add("replay lag p50 (B)", lag.Figure(mode, r => r.Bytes.P50), "N0")
            .Add("replay lag p95 (B)", lag.Figure(mode, r => r.Bytes.P95), "N0")
            .Add("replay lag p99 (B)", lag.Figure(mode, r => r.Bytes.P99), "N0")
            .Add("replay lag max (B)", lag.Figure(mode, r => r.Bytes.Max), "N0");
        if (lag.Of(Sides.Container, mode).Concat(lag.Of(Sides.Native, mode)).All(r => r.ReplayLagMs is not null))
        {
            table
                .Add("replay_lag p50 (ms)", lag.Figure(mode, r => r.ReplayLagMs!.P50), "0.00")
                .Add("replay_lag p99 (ms)", lag.Figure(mode, r => r.ReplayLagMs!.P99), "0.00");
        }

        return table
            .Add("pgbench tps", lag.Figure(mode, r => r.Pgbench.Tps), "0.0")
            .Add("pgbench latency average (ms)", lag.Figure(mode, r => r.Pgbench.LatencyAverageMs), "0.00");
    }
}
