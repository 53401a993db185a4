using System.Globalization;
using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>Renders docs/benchmarks.md from one run's results: thresholds first, then a table per figure. Pure.</summary>
public static class MarkdownReport
{
    private static readonly string[] ComparisonHeaders =
        ["figure", "container min", "container median", "native min", "native median", "ratio (median)"];

    /// <summary>The reports other targets write beside this one, and the record of the long Chaos run.</summary>
    private static readonly (string File, string What, string Target)[] CompanionReports =
    [
        (ScaleSuite.ReportFileName, "scale (a 10 GB primary, catch-up, saturating writes, fan-out)", "ScaleBenchmark"),
        (BackupSuite.ReportFileName, "backup and restore with pgBackRest against the host's", "BackupBenchmark"),
        (HaBenchmark.ReportFileName, "high-availability failover (Patroni, kill to the first write through HAProxy, false failovers)", "HaBenchmark"),
        ("chaos.md", "the long fault-injection run", "Chaos"),
    ];

    /// <summary>The reports other targets wrote beside this one (those present in <paramref name="directory"/>), and the record of the long Chaos run.</summary>
    internal static string OtherReports(string directory)
    {
        var present = CompanionReports.Where(r => File.Exists(Path.Combine(directory, r.File))).Select(r => $"{r.What}: [{r.File}]({r.File}), `./build.sh {r.Target}`").ToList();
        return present.Count == 0 ? "" : $"The other reports, each from its own target: {string.Join("; ", present)}.";
    }

    /// <summary>
    /// "## The other reports' bars": the bars table of each companion report present beside this one, as that
    /// report has it (its own run, its own date), so every figure with a bar can be read in this file.
    /// </summary>
    internal static string OtherReportsBars(string directory)
    {
        var md = new StringBuilder();
        foreach (var report in CompanionReports)
        {
            var path = Path.Combine(directory, report.File);
            if (!File.Exists(path) || BarsTable(File.ReadAllLines(path)) is not { Count: > 0 } table)
            {
                continue;
            }

            md.AppendLine($"### {char.ToUpperInvariant(report.What[0])}{report.What[1..]}: [{report.File}]({report.File})");
            md.AppendLine();
            foreach (var line in table)
            {
                md.AppendLine(line);
            }

            md.AppendLine();
        }

        return md.Length == 0 ? "" : $"## The other reports' bars\n\nCopied from each report when this one was written; each is from its own run (the date is in the report).\n\n{md}";
    }

    /// <summary>The table right below a report's "## Bar" or "## Bars" heading.</summary>
    private static List<string> BarsTable(string[] lines)
    {
        var heading = Array.FindIndex(lines, l => l.TrimEnd() is "## Bar" or "## Bars");
        return heading < 0
            ? []
            : [.. lines.Skip(heading + 1).SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => l.StartsWith('|'))];
    }

    public static string Render(BenchmarkResults results)
    {
        var r = results;
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine(
            $"The image against the host's own PostgreSQL, measured in one run on one machine on {r.StartedAt:yyyy-MM-dd} " +
            $"({r.StartedAt:HH:mm} UTC, {r.Elapsed.TotalMinutes:0.0} min). The cycle was taken {CycleRepetitions(r)}x and the failover " +
            $"{FailoverRepetitions(r)}x on each side after one untimed warm-up of each per side, every other figure {Repetitions(r)}x; container and native runs alternate so that a change in load hits both alike, " +
            "and targets are judged on medians. " +
            "Ratios are container / native.");
        md.AppendLine();
        md.AppendLine($"Rerun with `./build.sh Benchmark` (it rewrites this file and `{BenchmarkSuite.PlotFileName}`).");
        md.AppendLine();
        if (OtherReports(Path.GetDirectoryName(r.ReportPath) ?? ".") is { Length: > 0 } others)
        {
            md.AppendLine(others);
            md.AppendLine();
        }
        md.AppendLine("## Targets");
        md.AppendLine();
        var targets = new MarkdownTable(numeric: false, "figure", "target", "measured", "met");
        foreach (var v in r.Verdicts)
        {
            targets.Row(v.Figure, v.Threshold, v.Measured, v.Met ? "yes" : "**no**");
        }

        md.AppendLine(targets.ToString());
        md.Append(OtherReportsBars(Path.GetDirectoryName(r.ReportPath) ?? "."));
        md.Append(MachineSection(r));
        md.Append(CycleSection(r.Cycle));
        md.Append(ReportLagSection.Render(r.Lag));
        md.Append(BootstrapSection(r.Bootstrap));
        md.Append(ReportFailoverSection.Render(r.Failover));
        md.Append(ImageSection(r.Image));
        md.Append(ReportCommandSection.Render(r.Command, r.Cycle));
        return md.ToString();
    }

    internal static MarkdownTable ComparisonTable() => new(numeric: true, ComparisonHeaders);

    /// <summary>A comparison row: min and median on each side, then the ratio of the medians.</summary>
    internal static MarkdownTable Add(this MarkdownTable table, string figure, Comparison c, string format) =>
        table.Row(
            figure,
            Number(c.ContainerSummary.Min, format), Number(c.ContainerSummary.Median, format),
            Number(c.NativeSummary.Min, format), Number(c.NativeSummary.Median, format),
            c.MedianRatio is { } ratio ? $"{Number(ratio, "0.00")}x" : "n/a");

    internal static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static int CycleRepetitions(BenchmarkResults r) => r.Cycle.Runs.Count(run => run.Side == Sides.Container);

    private static int FailoverRepetitions(BenchmarkResults r) => r.Failover.Runs.Count(run => run.Side == Sides.Container);

    private static int Repetitions(BenchmarkResults r) => r.Bootstrap.Runs.Count(run => run.Side == Sides.Container);

    private static string MachineSection(BenchmarkResults r)
    {
        var m = r.Machine;
        var table = new MarkdownTable(numeric: false, "machine", "")
            .Row("CPU", $"{m.Cores} cores ({m.CpuModel})")
            .Row("memory", $"{Number(m.MemoryGiB, "0.0")} GiB")
            .Row("system", $"{m.OperatingSystem}, Linux {m.Kernel}")
            .Row("Docker Engine", m.EngineVersion)
            .Row("PostgreSQL in the image", m.ContainerPostgres)
            .Row("PostgreSQL on the host", m.NativePostgres)
            .Row("load average (1, 5, 15 min) at start", m.LoadAverageAtStart)
            .Row("load average (1, 5, 15 min) at end", r.LoadAverageAtEnd);
        return $"## Machine\n\n{table}\nOther work on the machine during the run (other containers, builds) shows as noise in both columns.\n\n";
    }

    private static string CycleSection(CycleResult cycle)
    {
        var table = ComparisonTable()
            .Add("StartPrimary: accepting connections (s)", cycle.Step(s => s.StartPrimary), "0.00")
            .Add("StartStandby: streaming (s)", cycle.Step(s => s.StartStandby), "0.00")
            .Add("Seed (s)", cycle.Step(s => s.Seed), "0.000")
            .Add("AssertReplication: replayed, counts equal (s)", cycle.Step(s => s.AssertReplication), "0.000")
            .Add("**total (s)**", cycle.Total, "0.00");
        string Runs(string side) => string.Join(", ", cycle.Runs.Where(x => x.Side == side).Select(x => Number(x.Total.TotalSeconds, "0.00")));
        return $"""
            ## 1. Cycle: from starting the primary to a verified row on the standby

            The pipeline's steps with the image already built: StartPrimary, StartStandby, Seed (the tutorial's
            `replication_test (a INT, b INT, c VARCHAR(255))` and its row `(1, 2, 'it works')`), AssertReplication
            (wait until the standby has replayed the primary's WAL position after the seed, then compare row counts).
            Container: the library's `ReplicationCluster`, `PostgresNode` and `Probes`, the standby's container started
            alongside the primary's, each step as the pipeline runs it (network and containers created inside the timed steps). Native: the host's
            PostgreSQL binaries as two processes on 127.0.0.1: `initdb`, start, `pg_basebackup -R -X stream
            --checkpoint=fast -C -S`, start, streaming in `pg_stat_replication`, row visible. Both poll every 50 ms.
            One untimed warm-up cycle per side comes before the timed ones (JIT, first use of the engine's paths).
            Removing a pair is not timed.

            {table}
            Totals per run (s): container {Runs(Sides.Container)}; native {Runs(Sides.Native)}.


            """;
    }

    private static string BootstrapSection(BootstrapResult b)
    {
        var table = ComparisonTable()
            .Add("throughput (MB/s)", b.Throughput, "0")
            .Add("start to streaming (s)", b.Seconds, "0.00");
        return $"""
            ## 3. Standby bootstrap

            A primary loaded once per side with pgbench scale {b.Scale} (container {Number(b.ContainerDataBytes / 1e6, "0")} MB,
            native {Number(b.NativeDataBytes / 1e6, "0")} MB: the size of all databases), then checkpointed. Timed: from starting a
            new standby until the primary lists it as streaming; throughput = data size / that time (1 MB = 10^6 bytes).
            Container: a new standby container (waits for the primary, `pg_basebackup -X stream --checkpoint=fast
            --create-slot` over the Docker bridge, starts). Native: `pg_basebackup -R -X stream --checkpoint=fast -C -S`
            into a fresh folder, start. Each standby is removed, and its slot dropped, before the next; the host's file
            systems are flushed (`sync`) before each timed clone.

            {table}

            """;
    }

    private static string ImageSection(ImageSizeResult image)
    {
        var table = new MarkdownTable(numeric: true, "image", "base", "image size (B)", "base size (B)", "added by our layers (B)", "layers added")
            .Row(
                $"`{image.Image}`", $"`{image.BaseImage}`", image.ImageBytes.ToString("N0", CultureInfo.InvariantCulture),
                image.BaseImageBytes.ToString("N0", CultureInfo.InvariantCulture),
                image.LayerBytes.ToString("N0", CultureInfo.InvariantCulture),
                image.AddedLayers.ToString(CultureInfo.InvariantCulture));
        return $"""
            ## 5. Image

            Sizes as the engine's image inspect reports them (uncompressed); the base is checked to be the image's
            base (its layers are the first layers of the image). Exact, so read once.

            {table}
            """;
    }
}

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
            "Each run starts from a checkpoint with the standby caught up. Percentiles are by nearest rank. The **pooled** rows take " +
            "every reading of every run of a side together, and the threshold is judged on the pooled p99 (a median of per-run p99 " +
            "values flipped the verdict between reports); the per-run rows give min and median over the runs, the line below each " +
            "table the spread of per-run p99 (min / median / max).");
        md.AppendLine();
        foreach (var mode in new[] { CommitMode.Asynchronous, CommitMode.Synchronous })
        {
            md.AppendLine(mode == CommitMode.Asynchronous
                ? "### Asynchronous"
                : $"### Synchronous (`synchronous_standby_names` = the standby, `synchronous_commit = {lag.SynchronousCommit}`)");
            md.AppendLine();
            md.AppendLine(Table(lag, mode).ToString());
            md.AppendLine(Pooled(lag, mode).ToString());
            md.AppendLine(
                $"p99 per run (B): container {PerRun(lag, Sides.Container, mode)} (min / median / max {Spread(lag, Sides.Container, mode)}); " +
                $"native {PerRun(lag, Sides.Native, mode)} ({Spread(lag, Sides.Native, mode)}).");
            md.AppendLine();
        }

        md.AppendLine(
            $"![Replay lag in bytes over time during an asynchronous run, container and native]({BenchmarkSuite.PlotFileName})");
        md.AppendLine();
        md.AppendLine("The plot shows, for each side, the asynchronous run whose p99 is the median of that side's runs.");
        md.AppendLine();
        return md.ToString();
    }

    private static string Spread(LagResult lag, string side, CommitMode mode)
    {
        var p99 = Statistics.Summarize(lag.Of(side, mode).Select(r => r.Bytes.P99));
        return $"{MarkdownReport.Number(p99.Min, "N0")} / {MarkdownReport.Number(p99.Median, "N0")} / {MarkdownReport.Number(p99.Max, "N0")}";
    }

    /// <summary>Every reading of every run of a side pooled: the figures the lag threshold is judged on.</summary>
    private static MarkdownTable Pooled(LagResult lag, CommitMode mode)
    {
        var table = new MarkdownTable(numeric: true, "pooled readings", "container", "native", "ratio");
        foreach (var (name, percentile) in new (string, Func<Summary, double>)[] { ("p50 (B)", s => s.P50), ("p99 (B)", s => s.P99), ("max (B)", s => s.Max) })
        {
            var pooled = lag.PooledRatio(mode, percentile);
            table.Row(
                $"replay lag {name}, all runs pooled",
                MarkdownReport.Number(pooled.Container, "N0"),
                MarkdownReport.Number(pooled.Native, "N0"),
                pooled.Ratio is { } r ? $"{MarkdownReport.Number(r, "0.00")}x" : "n/a");
        }

        var counts = lag.PooledRatio(mode, s => s.Count);
        table.Row("readings", MarkdownReport.Number(counts.Container, "N0"), MarkdownReport.Number(counts.Native, "N0"), string.Empty);
        return table;
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

/// <summary>The failover section of the report: what was timed, medians per side, and the anchors it is read against.</summary>
internal static class ReportFailoverSection
{
    private static string Median(Summary summary) => MarkdownReport.Number(summary.Median, "0.00");

    public static string Render(FailoverResult failover)
    {
        var table = MarkdownReport.ComparisonTable()
            .Add("primary gone: SIGKILL to its postmaster gone (s)", failover.Step(r => r.PrimaryGone), "0.00")
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
            the kill: the primary is killed as a lost node would be, the same way on both sides: SIGKILL from the host
            to the postmaster's host PID, found before the clock starts (container: below the engine's `State.Pid` in
            /proc, not through the engine's API, whose kill and exit event cost 0.17 s against 0.01 s natively; native:
            the postmaster the benchmark started), and "gone" is the same check on both sides: that PID's /proc entry
            gone or a zombie, polled every 2 ms. In a container the postmaster is the PID namespace's first process, so
            the kernel kills the rest of the namespace and lets it finish only once they have exited: "gone" there
            includes its children, as for a lost node. Nothing waits for the engine's exit event or the native children
            before the promotion (both happen untimed before the rejoin). Then standby-1 is promoted
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

/// <summary>A GitHub markdown table: a header row, then rows; the first column left-aligned, the others right-aligned when numeric.</summary>
internal sealed class MarkdownTable(bool numeric, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"A row of {cells.Length} cells in a table of {headers.Length} columns.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var table = new StringBuilder();
        table.AppendLine($"| {string.Join(" | ", headers)} |");
        table.AppendLine($"|{string.Join("|", headers.Select((_, i) => i == 0 || !numeric ? "---" : "---:"))}|");
        foreach (var row in _rows)
        {
            table.AppendLine($"| {string.Join(" | ", row)} |");
        }

        return table.ToString();
    }
}
