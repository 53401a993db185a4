namespace PostgresReplication.Benchmarks;

/// <summary>
/// The backup run (issue 20, item 7): full backup, restore and point-in-time restore of the image's
/// pgBackRest against the host's, alternating, in one run; writes benchmarks-backup.md beside the
/// default report, which it leaves alone. About 6 min at scale 68 and 3 rounds on this (quiet) 2-core machine
/// (two 1 GB loads at once about 2 min, six standbys 1 min, then per round and side a backup and two restores, 1 min).
/// </summary>
public static class BackupSuite
{
    public const string ReportFileName = "benchmarks-backup.md";

    public static Task<BackupSuiteResults> RunAsync(BenchmarkOptions options, int scale, int rounds, Action<string> log, CancellationToken ct)
    {
        if (scale < 1 || rounds < 1)
        {
            throw new ArgumentException($"--backup-benchmark-scale ({scale}) and --backup-benchmark-rounds ({rounds}) must be at least 1.");
        }

        return BenchmarkRun.RunAsync("backup benchmark", options, log, run => MeasureAsync(run, scale, rounds), ct);
    }

    private static async Task<BackupSuiteResults> MeasureAsync(BenchmarkRun run, int scale, int rounds)
    {
        var (context, options, log, ct) = (run.Context, run.Context.Options, run.Context.Log, run.Token);
        var machine = await MachineInfo.CaptureAsync(context, ct);
        log($"backup: {machine.Cores} cores, load average {machine.LoadAverageAtStart}; container PostgreSQL {machine.ContainerPostgres}, native {machine.NativePostgres}");
        run.Phase = "the backup and restore rounds";
        var backup = await new BackupBenchmark(context).RunAsync(scale, rounds, ct);

        run.Phase = "writing the report";
        var results = new BackupSuiteResults(run.StartedAt, run.Clock.Elapsed, machine, await MachineInfo.LoadAverageAsync(ct), backup);
        await ReportParts.WriteAsync(options.OutputDirectory, ReportFileName, BackupReport.Render(results), BackupReport.Judge(backup), run.Clock.Elapsed, log, ct);
        return results;
    }
}
