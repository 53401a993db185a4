using System.Diagnostics;

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

    public static async Task<BackupSuiteResults> RunAsync(BenchmarkOptions options, int scale, int rounds, Action<string> log, CancellationToken ct)
    {
        options.Validate();
        if (scale < 1 || rounds < 1)
        {
            throw new ArgumentException($"--backup-benchmark-scale ({scale}) and --backup-benchmark-rounds ({rounds}) must be at least 1.");
        }

        LikeForLike.ChooseMajor(options.PgMajor, await LikeForLike.NativeMajorAsync(options.NativeBinDirectory, ct), options.NativeBinDirectory);
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(options.Budget);
        var phase = "connecting to the Docker engine";
        try
        {
            using var engine = await DockerEngine.ConnectAsync(budget.Token);
            var context = new BenchmarkContext(options, engine, new NativeBinaries(options.NativeBinDirectory), log);
            var machine = await MachineInfo.CaptureAsync(context, budget.Token);
            log($"backup: {machine.Cores} cores, load average {machine.LoadAverageAtStart}; container PostgreSQL {machine.ContainerPostgres}, native {machine.NativePostgres}");
            phase = "the backup and restore rounds";
            var backup = await new BackupBenchmark(context).RunAsync(scale, rounds, budget.Token);

            phase = "writing the report";
            var results = new BackupSuiteResults(startedAt, clock.Elapsed, machine, await MachineInfo.LoadAverageAsync(budget.Token), backup);
            Directory.CreateDirectory(options.OutputDirectory);
            var report = Path.Combine(options.OutputDirectory, ReportFileName);
            await File.WriteAllTextAsync(report, BackupReport.Render(results), budget.Token);
            foreach (var verdict in BackupReport.Judge(backup))
            {
                log($"{(verdict.Met ? "met    " : "NOT met")} {verdict.Figure}: {verdict.Measured} (bar {verdict.Threshold})");
            }

            log($"wrote {report} in {clock.Elapsed.TotalMinutes:0.0} min");
            return results;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new BenchmarkException(
                $"The backup benchmark did not finish within its budget of {options.Budget.TotalMinutes:0.#} min; it was stopped during {phase}.");
        }
        catch (Exception e) when (e is not (BenchmarkException or OperationCanceledException))
        {
            throw new BenchmarkException($"Backup benchmark failed during {phase}: {e.Message}", e);
        }
    }
}
