using System.Globalization;
using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>Renders docs/benchmarks.md from one run's results: thresholds first, then a table per figure. Pure.</summary>
public static class MarkdownReport
{
    private static readonly string[] ComparisonHeaders =
        ["figure", "container min", "container median", "native min", "native median", "ratio (median)"];

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
        md.AppendLine("## Targets");
        md.AppendLine();
        var targets = new MarkdownTable(numeric: false, "figure", "target", "measured", "met");
        foreach (var v in r.Verdicts)
        {
            targets.Row(v.Figure, v.Threshold, v.Measured, v.Met ? "yes" : "**no**");
        }

        md.AppendLine(targets.ToString());
        md.Append(MachineSection(r));
        md.Append(CycleSection(r.Cycle));
        md.Append(ReportLagSection.Render(r.Lag));
        md.Append(BootstrapSection(r.Bootstrap));
        md.Append(ReportFailoverSection.Render(r.Failover));
        md.Append(ImageSection(r.Image));
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
