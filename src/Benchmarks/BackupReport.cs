using System.Globalization;
using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>benchmarks-backup.md: the bar, the machine and its load, then backup, restore and point-in-time figures per side.</summary>
internal static class BackupReport
{
    /// <summary>Issue 20's bar: the image's backup and restore at least 90% of the host's pgBackRest throughput.</summary>
    public const double ThroughputBar = 0.9;

    public static IReadOnlyList<ThresholdVerdict> Judge(BackupResult r) =>
    [
        Verdict("full backup throughput", r.BackupThroughput),
        Verdict("restore (latest) throughput", r.RestoreThroughput),
    ];

    public static string Render(BackupSuiteResults s)
    {
        var r = s.Backup;
        var md = new StringBuilder();
        md.AppendLine("# Backup and restore benchmark");
        md.AppendLine();
        md.AppendLine(
            $"The image's pgBackRest against the host's (same version, posix repository, the image's options: gz, one process, " +
            $"start-fast), measured in one run of `./build.sh BackupBenchmark` on {s.StartedAt:yyyy-MM-dd} ({s.StartedAt:HH:mm} UTC, " +
            $"{s.Elapsed.TotalMinutes:0.0} min), {r.Runs.Count(x => x.Side == Sides.Container)} rounds per side, container and native " +
            $"alternating, on a primary of pgbench scale {r.Scale} ({r.ContainerDataBytes / 1e6:0} MB in the container, " +
            $"{r.NativeDataBytes / 1e6:0} MB native). Ratios are container / native, judged on medians. Every restore was checked " +
            "to hold exactly the rows committed before its target.");
        md.AppendLine();
        ReportParts.AppendBars(md, Judge(r));
        ReportParts.AppendMachine(md, s.Machine, s.LoadAverageAtEnd);
        md.AppendLine("## Figures");
        md.AppendLine();
        md.AppendLine(
            "Backup: wall time of `docker exec -u postgres NAME pgbackrest backup --type=full` (repository on a Docker volume) against " +
            "`pgbackrest --stanza=main backup --type=full` on the host (repository in a host folder on the same disk). Restore: " +
            "`docker run` of a new primary on an empty volume with `RECOVERY_TARGET=latest` until it accepts writes, against " +
            "`pgbackrest restore` into an empty folder and postgres started on it until it accepts writes. Point in time: the same " +
            "with `RECOVERY_TARGET_TIME` (`--type=time --target-action=promote`) at a time noted between two batches. " +
            "\"From the container's start\" times the same restore from the engine's start of the container (its State.StartedAt) " +
            "instead of from `docker run`: the engine's creation and start of a container are left out, what the image does is " +
            "in (natively the two are the same figure). It is shown, not judged: the bar is on what the user waits for.");
        md.AppendLine();
        var table = new MarkdownTable(numeric: true, "figure", "container min / median / max", "native min / median / max", "ratio (median)");
        table.AddSpread("full backup (MB/s)", r.BackupThroughput, "0");
        table.AddSpread("restore to the latest (MB/s)", r.RestoreThroughput, "0");
        table.AddSpread("the same from the container's start (MB/s)", r.RestoreFromStartThroughput, "0");
        table.AddSpread("restore to a time (s)", r.PointInTimeSeconds, "0.0");
        md.AppendLine(table.ToString());
        if (r.Clones.Count > 0)
        {
            md.AppendLine("## A standby cloned from the repository");
            md.AppendLine();
            md.AppendLine(
                "Container only (natively, a standby from the repository is the same `pgbackrest restore`, with `--type=standby`): " +
                "from `docker run` of a standby on an empty volume until the primary shows it streaming, with `CLONE_FROM=repository` " +
                "(the latest backup, then the archive, then streaming) against the default `CLONE_FROM=primary` (pg_basebackup), alternating.");
            md.AppendLine();
            var clones = new MarkdownTable(numeric: true, "figure", "from the repository min / median / max", "pg_basebackup min / median / max", "ratio (median)");
            clones.AddSpread("standby to streaming (s)", r.CloneSeconds, "0.0");
            md.AppendLine(clones.ToString());
        }

        return md.ToString();
    }

    private static ThresholdVerdict Verdict(string figure, Comparison c) =>
        c.MedianRatio is { } ratio
            ? new ThresholdVerdict(
                figure, $"container >= {ThroughputBar:0%} of native", $"{ratio.ToString("0%", CultureInfo.InvariantCulture)} of native", ratio >= ThroughputBar)
            : new ThresholdVerdict(figure, $"container >= {ThroughputBar:0%} of native", "no native figure", false);
}

/// <summary>One backup benchmark run, with the machine it ran on.</summary>
public sealed record BackupSuiteResults(DateTimeOffset StartedAt, TimeSpan Elapsed, MachineInfo Machine, string LoadAverageAtEnd, BackupResult Backup);
