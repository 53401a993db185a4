using System.Globalization;

namespace PostgresReplication.Benchmarks;

/// <summary>The machine a run was taken on: figures from different machines (or loads) are not comparable.</summary>
public sealed record MachineInfo(
    int Cores, string CpuModel, double MemoryGiB, string OperatingSystem, string Kernel,
    string EngineVersion, string NativePostgres, string ContainerPostgres, string LoadAverageAtStart)
{
    internal static async Task<MachineInfo> CaptureAsync(BenchmarkContext context, CancellationToken ct)
    {
        var image = await context.Engine.Client.Images.InspectImageAsync(context.Options.ImageName, ct);
        var pgVersion = image.Config?.Env?.FirstOrDefault(e => e.StartsWith("PG_VERSION=", StringComparison.Ordinal));
        return new MachineInfo(
            Environment.ProcessorCount,
            await FieldAsync("/proc/cpuinfo", "model name", ':', ct) ?? "unknown",
            ParseMemTotal(await FieldAsync("/proc/meminfo", "MemTotal", ':', ct)),
            (await FieldAsync("/etc/os-release", "PRETTY_NAME", '=', ct))?.Trim('"') ?? Environment.OSVersion.ToString(),
            await FirstLineAsync("/proc/sys/kernel/osrelease", ct),
            context.Engine.EngineVersion,
            await context.Native.VersionAsync(ct),
            pgVersion is null ? $"{context.Options.PgMajor} (image has no PG_VERSION)" : pgVersion["PG_VERSION=".Length..],
            await LoadAverageAsync(ct));
    }

    /// <summary>1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static async Task<string> LoadAverageAsync(CancellationToken ct) =>
        string.Join(' ', (await FirstLineAsync("/proc/loadavg", ct)).Split(' ').Take(3));

    private static async Task<string> FirstLineAsync(string path, CancellationToken ct) =>
        File.Exists(path) ? (await File.ReadAllLinesAsync(path, ct)).FirstOrDefault()?.Trim() ?? "unknown" : "unknown";

    private static async Task<string?> FieldAsync(string path, string key, char separator, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>MemTotal is "24570000 kB".</summary>
    private static double ParseMemTotal(string? memTotal) =>
        memTotal?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var kb, ..]
        && double.TryParse(kb, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? Math.Round(value / 1024 / 1024, 1)
            : double.NaN;
}
