using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class BackupReportTests
{
    private const long Gigabyte = 1_000_000_000;

    [Fact]
    public void Backup_throughput_is_the_database_size_over_the_backup_wall_time()
    {
        // Given
        var run = Run(Sides.Native, backupSeconds: 16, restoreSeconds: 5);

        // Then
        Assert.Equal(62.5, run.BackupMegabytesPerSecond, precision: 9);
        Assert.Equal(200, run.RestoreMegabytesPerSecond, precision: 9);
    }

    [Fact]
    public void Container_at_ninety_percent_of_native_meets_the_bar()
    {
        // Given: the container's backup takes 10/9 of the native time, so 90% of its throughput
        var result = Result(Run(Sides.Container, 100.0 / 9, 5), Run(Sides.Native, 10, 5));

        // When
        var verdicts = BackupReport.Judge(result);

        // Then
        Assert.All(verdicts, v => Assert.True(v.Met, v.Figure));
        Assert.Equal("90% of native", verdicts[0].Measured);
    }

    [Fact]
    public void Container_below_ninety_percent_of_native_misses_the_bar()
    {
        // Given: the backup at 80% of native, the restore as fast
        var result = Result(Run(Sides.Container, 12.5, 5), Run(Sides.Native, 10, 5));

        // When
        var verdicts = BackupReport.Judge(result);

        // Then
        Assert.False(verdicts.Single(v => v.Figure == "full backup throughput").Met);
        Assert.True(verdicts.Single(v => v.Figure == "restore (latest) throughput").Met);
    }

    [Fact]
    public void Report_shows_the_load_the_spread_per_side_and_a_missed_bar()
    {
        // Given
        var result = Result(
            Run(Sides.Container, 20, 5), Run(Sides.Native, 10, 5),
            Run(Sides.Native, 12, 5, round: 2), Run(Sides.Container, 25, 5, round: 2));
        var suite = new BackupSuiteResults(DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(12), HandMadeResults.Machine, "0.50 0.40 0.30", result);

        // When
        var markdown = BackupReport.Render(suite);

        // Then
        Assert.Contains(HandMadeResults.Machine.LoadAverageAtStart, markdown, StringComparison.Ordinal);
        Assert.Contains("0.50 0.40 0.30 at the end", markdown, StringComparison.Ordinal);
        Assert.Contains("| full backup (MB/s) | 40 / 40 / 50 | 83 / 83 / 100 | 0.48x |", markdown, StringComparison.Ordinal);
        Assert.Contains("**no**", markdown, StringComparison.Ordinal);
        Assert.Contains("2 rounds per side", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_from_the_containers_start_is_shown_beside_the_judged_restore()
    {
        // Given: the container waits 5 s from docker run, 4 s of them after the engine started it
        var result = Result(
            Run(Sides.Container, 10, 5, restoreFromStartSeconds: 4), Run(Sides.Native, 10, 4));
        var suite = new BackupSuiteResults(DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(12), HandMadeResults.Machine, "0.50 0.40 0.30", result);

        // When
        var markdown = BackupReport.Render(suite);

        // Then: the bar stays on the user's wait (80%), the image's own share is level with native
        Assert.False(BackupReport.Judge(result).Single(v => v.Figure == "restore (latest) throughput").Met);
        Assert.Contains("| restore to the latest (MB/s) | 200 / 200 / 200 | 250 / 250 / 250 | 0.80x |", markdown, StringComparison.Ordinal);
        Assert.Contains("| the same from the container's start (MB/s) | 250 / 250 / 250 | 250 / 250 / 250 | 1.00x |", markdown, StringComparison.Ordinal);
    }

    private static BackupRun Run(string side, double backupSeconds, double restoreSeconds, int round = 1, double? restoreFromStartSeconds = null) =>
        new(side, round, Gigabyte, TimeSpan.FromSeconds(backupSeconds), TimeSpan.FromSeconds(restoreSeconds),
            TimeSpan.FromSeconds(restoreFromStartSeconds ?? restoreSeconds), TimeSpan.FromSeconds(6));

    [Fact]
    public void Standby_clones_compare_the_repository_with_pg_basebackup()
    {
        // Given
        var result = new BackupResult(
            [Run(Sides.Container, 10, 5), Run(Sides.Native, 10, 5)], 68, Gigabyte, Gigabyte,
            [new(StandbyCloneRun.Repository, 1, TimeSpan.FromSeconds(12)), new(StandbyCloneRun.Primary, 1, TimeSpan.FromSeconds(6))]);
        var suite = new BackupSuiteResults(DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(12), HandMadeResults.Machine, "0.50 0.40 0.30", result);

        // When
        var markdown = BackupReport.Render(suite);

        // Then
        Assert.Equal([12.0], result.CloneSeconds.Container);
        Assert.Equal([6.0], result.CloneSeconds.Native);
        Assert.Contains("| standby to streaming (s) | 12.0 / 12.0 / 12.0 | 6.0 / 6.0 / 6.0 | 2.00x |", markdown, StringComparison.Ordinal);
    }

    private static BackupResult Result(params BackupRun[] runs) => new(runs, 68, Gigabyte, Gigabyte, []);
}
