using BuildRunner;
using PostgresReplication.Benchmarks;

/// <summary>The image's pgBackRest against the host's: writes docs/benchmarks-backup.md.</summary>
sealed partial class Build
{
    [Parameter("BackupBenchmark: pgbench scale of both primaries (68 is about 1 GB)")]
    readonly int BackupBenchmarkScale = 68;

    [Parameter("BackupBenchmark: rounds of every figure per side, alternating")]
    readonly int BackupBenchmarkRounds = 3;

    Target BackupBenchmark => _ => _
        .Description("Full backup, restore and point-in-time restore with the image's pgBackRest against the host's (same version); writes docs/benchmarks-backup.md (about 6 min at the defaults on a quiet 2-core machine)")
        .DependsOn(BenchmarkMajor, BuildImage)
        .Executes(async ct =>
        {
            try
            {
                await BackupSuite.RunAsync(Options(), BackupBenchmarkScale, BackupBenchmarkRounds, Log.Info, ct);
            }
            catch (Exception e) when (e is BenchmarkException or ArgumentException)
            {
                throw new BuildFailedException(e.Message, e);
            }
        });
}
