using ScottPlot;

namespace PostgresReplication.Benchmarks;

/// <summary>The scale report's curve: median bootstrap throughput against the primary's size, container and native.</summary>
internal static class ScalePlot
{
    public static void Write(string path, IReadOnlyList<BootstrapResult> sizes)
    {
        var plot = new Plot();
        var ordered = sizes.OrderBy(s => s.Scale).ToList();
        double[] gigabytes = [.. ordered.Select(s => s.NativeDataBytes / 1e9)];
        var container = plot.Add.ScatterLine(gigabytes, [.. ordered.Select(s => s.Throughput.ContainerSummary.Median)], Colors.OrangeRed);
        container.LegendText = "container (median)";
        var native = plot.Add.ScatterLine(gigabytes, [.. ordered.Select(s => s.Throughput.NativeSummary.Median)], Colors.SteelBlue);
        native.LegendText = "native (median)";
        plot.Title("Standby bootstrap throughput against the primary's size");
        plot.XLabel("primary's data (GB)");
        plot.YLabel("MB/s, start to streaming");
        plot.Axes.SetLimitsY(0, ordered.Max(s => Math.Max(s.Throughput.ContainerSummary.Max, s.Throughput.NativeSummary.Max)) * 1.25);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 500);
    }
}
