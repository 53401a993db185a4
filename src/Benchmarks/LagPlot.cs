using ScottPlot;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The plot in the report: replay lag over time during an asynchronous load run, container against
/// native, each side's run with the median p99 (the representative one).
/// </summary>
internal static class LagPlot
{
    private const int Width = 1000;
    private const int Height = 500;

    public static void Write(string path, LagResult lag)
    {
        var plot = new Plot();
        var container = lag.Representative(Sides.Container, CommitMode.Asynchronous);
        var native = lag.Representative(Sides.Native, CommitMode.Asynchronous);
        AddRun(plot, container, Colors.OrangeRed);
        AddRun(plot, native, Colors.SteelBlue);
        plot.Title($"Replay lag under pgbench at {lag.Rate} tps ({lag.Clients} clients), asynchronous, sampled every {lag.SampleInterval.TotalMilliseconds:0} ms");
        plot.XLabel("time since pgbench started (s)");
        plot.YLabel("replay lag on the primary (KiB)");
        // From zero, so the two sides' levels compare by eye; headroom for the legend.
        plot.Axes.SetLimitsY(0, Math.Max(container.Bytes.Max, native.Bytes.Max) / 1024 * 1.25 + 1);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    private static void AddRun(Plot plot, LagRun run, Color color)
    {
        var samples = run.Samples.Where(s => s.Bytes is not null).ToList();
        var line = plot.Add.ScatterLine(
            samples.Select(s => s.At.TotalSeconds).ToArray(),
            samples.Select(s => s.Bytes!.Value / 1024.0).ToArray(),
            color);
        line.LineWidth = 1.5f;
        line.LegendText = $"{run.Side} (run {run.Repetition}: p99 {run.Bytes.P99 / 1024:0.0} KiB, max {run.Bytes.Max / 1024:0.0} KiB)";
    }
}
