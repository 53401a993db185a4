using System.Globalization;
using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>benchmarks-scale.md: the bars, the machine and its load, then one section per scale figure with min / median / max per side.</summary>
internal static class ScaleReport
{
    private static readonly string[] Headers =
        ["figure", "container min / median / max", "native min / median / max", "ratio (median)"];

    public static string Render(ScaleResults r)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks at scale");
        md.AppendLine();
        md.AppendLine(
            $"The image against the host's own PostgreSQL at scale, measured in one run of `./build.sh ScaleBenchmark` on " +
            $"{r.StartedAt:yyyy-MM-dd} ({r.StartedAt:HH:mm} UTC, {r.Elapsed.TotalMinutes:0.0} min), {Rounds(r)} rounds of every figure, " +
            "container and native alternating. Ratios are container / native; bars are judged on medians, lag on every reading pooled.");
        md.AppendLine();
        ReportParts.AppendBars(md, ScaleThresholds.Judge(r));
        ReportParts.AppendMachine(md, r.Machine, r.LoadAverageAtEnd);
        md.Append(BootstrapSection(r.Bootstrap));
        md.Append(CatchUpSection(r.CatchUp));
        md.Append(SaturationSection(r.Saturation));
        md.Append(FanOutSection(r.FanOut));
        return md.ToString();
    }

    /// <summary>A row with min / median / max on each side and the ratio of medians.</summary>
    internal static MarkdownTable AddSpread(this MarkdownTable table, string figure, Comparison c, string format)
    {
        static string Spread(Summary s, string format) =>
            $"{MarkdownReport.Number(s.Min, format)} / {MarkdownReport.Number(s.Median, format)} / {MarkdownReport.Number(s.Max, format)}";
        return table.Row(
            figure, Spread(c.ContainerSummary, format), Spread(c.NativeSummary, format),
            c.MedianRatio is { } ratio ? $"{MarkdownReport.Number(ratio, "0.00")}x" : "n/a");
    }

    private static MarkdownTable Table() => new(numeric: true, Headers);

    private static int Rounds(ScaleResults r) => r.CatchUp.Runs.Count(run => run.Side == Sides.Container);

    private static string BootstrapSection(IReadOnlyList<BootstrapResult> sizes)
    {
        var table = Table();
        foreach (var size in sizes.OrderBy(s => s.Scale))
        {
            var gb = (size.NativeDataBytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture);
            table.AddSpread($"scale {size.Scale} ({gb} GB): seconds to streaming", size.Seconds, "0.0");
            table.AddSpread($"scale {size.Scale} ({gb} GB): MB/s", size.Throughput, "0");
        }

        return $"""
            ## 1. Standby bootstrap against the primary's size

            A new standby of a primary loaded with `pgbench -i -I dtGp` at each scale (68 is about 1 GB), from its start
            to its primary showing it `streaming`; container: `docker run` of the image as a standby (it clones by itself),
            native: `pg_basebackup -R -X stream --checkpoint=fast -C -S` and start. The file systems are flushed before each
            clone. The bar: at the largest size, at least 90% of native throughput.

            {table}
            ![Standby bootstrap throughput against the primary's size, container and native]({ScaleSuite.PlotFileName})


            """;
    }

    private static string CatchUpSection(CatchUpResult catchUp)
    {
        var table = Table()
            .AddSpread("WAL written while stopped (MB)", Comparison.Of(catchUp.Runs, r => r.Side, r => r.WalBytes / 1e6), "0")
            .AddSpread("start to replayed (s)", catchUp.Seconds, "0.00")
            .AddSpread("replay throughput (MB/s)", catchUp.Throughput, "0");
        return $"""
            ## 2. Catch-up after an outage

            standby-1 stopped (fast shutdown; its slot keeps the WAL), the primary writes rows of 1 kB until it has written
            the WAL asked for, then standby-1 is started: seconds from the start until the primary's `pg_stat_replication`
            shows it replayed the position the primary had when it started. The bar: at least 90% of native throughput.

            {table}

            """;
    }

    private static string SaturationSection(SaturationResult saturation)
    {
        var container = saturation.Pooled(Sides.Container);
        var native = saturation.Pooled(Sides.Native);
        var table = Table()
            .AddSpread("primary TPS", saturation.Tps, "0")
            .AddSpread("replay lag p99 per run (B)", saturation.RunP99, "N0");
        if (saturation.TpsOnBridge.Container.Count > 0)
        {
            table.AddSpread("primary TPS, container at its bridge address", saturation.TpsOnBridge, "0")
                .AddSpread("replay lag p99 per run, container at its bridge address (B)", saturation.RunP99OnBridge, "N0");
        }

        var pooled = new MarkdownTable(numeric: true, "pooled readings", "container", "native", "ratio")
            .Row("replay lag p50 (B)", N(container.P50), N(native.P50), Ratio(container.P50, native.P50))
            .Row("replay lag p99 (B)", N(container.P99), N(native.P99), Ratio(container.P99, native.P99))
            .Row("readings", N(container.Count), N(native.Count), string.Empty);
        return $"""
            ## 3. Saturating writes

            `pgbench -c {saturation.Clients} -T {saturation.Duration.TotalSeconds:0}` unthrottled (TPC-B-like) from the host against
            a primary with one asynchronous standby; the standby's replay lag in bytes read from the primary throughout. The bars:
            TPS at least 90% of native, pooled lag p99 at most 1.2x native, judged on the published port (127.0.0.1, which
            the engine serves with its docker-proxy process). The rows "at its bridge address" are the same container primary
            right after, with pgbench connecting to the container's address on its bridge network (port 5432): what is
            left of the gap without docker-proxy (the engine's `"userland-proxy": false` makes published ports take that path).

            {table}
            {pooled}

            """;
    }

    private static string FanOutSection(FanOutResult fanOut)
    {
        var table = Table();
        foreach (var count in fanOut.Counts)
        {
            table.AddSpread($"{count} standby(s): primary TPS", fanOut.Figure(count, r => r.Pgbench.Tps), "0");
            table.AddSpread($"{count} standby(s): lag p99 over all standbys (B)", fanOut.Figure(count, r => r.PooledLag.P99), "N0");
            table.AddSpread($"{count} standby(s): worst standby's lag p99 (B)", fanOut.Figure(count, r => r.StandbyP99.Max()), "N0");
            table.AddSpread($"{count} standby(s): WAL senders' CPU (s)", fanOut.Figure(count, r => r.WalSenderCpuSeconds), "0.00");
        }

        var ratios = string.Join(", ", fanOut.Counts.Select(c => $"{c}: {(fanOut.PooledLagRatio(c) is { } x ? MarkdownReport.Number(x, "0.00") + "x" : "n/a")}"));
        return $"""
            ## 4. Fan-out

            `pgbench -R {fanOut.Rate} -T {fanOut.Duration.TotalSeconds:0}` against a primary with 1 to {fanOut.Counts[^1]} standbys
            (added as the count grows; one untimed run per side at each count first), every standby's replay lag read from the primary; the WAL senders' CPU is utime + stime
            of the postmaster's `postgres: walsender` children in the host's /proc (the container's postmaster found below the
            engine's `State.Pid`), before and after each run. The bar: the container/native ratio of the pooled lag p99 does not
            grow by more than 10% from the fewest to the most standbys. Pooled lag p99 ratio by standbys: {ratios}.

            {table}

            """;
    }

    private static string N(double value) => MarkdownReport.Number(value, "N0");

    private static string Ratio(double container, double native) =>
        Statistics.Ratio(container, native) is { } r ? $"{MarkdownReport.Number(r, "0.00")}x" : "n/a";
}
