using System.Globalization;
using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>The parts every report shares: its bars as one table, and the machine with its load.</summary>
internal static class ReportParts
{
    /// <summary>Writes a report into <paramref name="directory"/>, then logs each bar's verdict and where the report went.</summary>
    public static async Task<string> WriteAsync(
        string directory, string fileName, string markdown, IEnumerable<ThresholdVerdict> verdicts, TimeSpan elapsed, Action<string> log, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        await File.WriteAllTextAsync(path, markdown, ct);
        foreach (var verdict in verdicts)
        {
            log($"{(verdict.Met ? "met    " : "NOT met")} {verdict.Figure}: {verdict.Measured} (bar {verdict.Threshold})");
        }

        log($"wrote {path} in {elapsed.TotalMinutes:0.0} min");
        return path;
    }

    /// <summary>"## Bars": figure, bar, measured, met (a miss in bold).</summary>
    public static void AppendBars(StringBuilder md, IEnumerable<ThresholdVerdict> verdicts)
    {
        md.AppendLine("## Bars");
        md.AppendLine();
        var bars = new MarkdownTable(numeric: false, "figure", "bar", "measured", "met");
        foreach (var v in verdicts)
        {
            bars.Row(v.Figure, v.Threshold, v.Measured, v.Met ? "yes" : "**no**");
        }

        md.AppendLine(bars.ToString());
    }

    /// <summary>"## Machine and load": cores, memory, system, engine, both PostgreSQL builds, the load at the start and the end.</summary>
    public static void AppendMachine(StringBuilder md, MachineInfo machine, string loadAverageAtEnd)
    {
        md.AppendLine("## Machine and load");
        md.AppendLine();
        md.AppendLine(
            $"{machine.Cores} cores ({machine.CpuModel}), {machine.MemoryGiB.ToString(CultureInfo.InvariantCulture)} GiB, " +
            $"{machine.OperatingSystem}, Docker Engine {machine.EngineVersion}; PostgreSQL {machine.ContainerPostgres} in the image, " +
            $"{machine.NativePostgres} on the host. Load average (1, 5, 15 min) {machine.LoadAverageAtStart} at the start and " +
            $"{loadAverageAtEnd} at the end: other work on the machine shows as noise in both columns.");
        md.AppendLine();
    }
}
