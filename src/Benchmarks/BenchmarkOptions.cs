namespace PostgresReplication.Benchmarks;

/// <summary>
/// What one benchmark run measures and against what. The defaults fit a 2-core machine and a
/// 15-minute budget; every figure is taken several times, container and native alternating.
/// </summary>
public sealed record BenchmarkOptions
{
    /// <summary>PostgreSQL major of the container side; the same as the host's binaries keeps the comparison fair.</summary>
    public int PgMajor { get; init; } = 15;

    /// <summary>The replication image, already built (default postgres-replication:{PgMajor}).</summary>
    public string? Image { get; init; }

    /// <summary>The image it was built on, for the layer size (default: the offline base if present, else postgres:{PgMajor}).</summary>
    public string? BaseImage { get; init; }

    /// <summary>The host's PostgreSQL server binaries (initdb, postgres, pg_ctl, pg_basebackup).</summary>
    public string NativeBinDirectory { get; init; } = "/usr/lib/postgresql/15/bin";

    /// <summary>pgbench, run on the host against both sides.</summary>
    public string Pgbench { get; init; } = "pgbench";

    /// <summary>Where the native servers' data directories go (a folder per run, deleted afterwards).</summary>
    public string WorkDirectory { get; init; } = Path.GetTempPath();

    /// <summary>Where benchmarks.md and replication-lag.png are written (the repository's docs/).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>How often each figure but the cycle is measured on each side.</summary>
    public int Repetitions { get; init; } = 3;

    /// <summary>
    /// How often the cycle is measured on each side, after one untimed warm-up cycle per side. A
    /// cycle takes seconds and varies by a fifth from run to run here, so its median wants more runs.
    /// </summary>
    public int CycleRepetitions { get; init; } = 7;

    /// <summary>How often the failover is measured on each side, after one untimed warm-up failover per side.</summary>
    public int FailoverRepetitions { get; init; } = 5;

    /// <summary>pgbench's fixed rate (-R) during the lag runs, in transactions per second.</summary>
    public int LagRate { get; init; } = 200;

    /// <summary>pgbench clients (-c) during the lag runs.</summary>
    public int LagClients { get; init; } = 4;

    /// <summary>Length of one lag run (-T).</summary>
    public TimeSpan LagDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>pgbench scale of the lag runs' database (small: the rate, not the size, makes the load).</summary>
    public int LagScale { get; init; } = 10;

    /// <summary>
    /// How often pg_stat_replication is read during a lag run. 25 ms gives 800 readings in 20 s, so
    /// a p99 rests on the 8 highest rather than the 2 highest of 200, which swung by one 8 kB WAL
    /// page from run to run (0.78x to 1.23x of native at 100 ms).
    /// </summary>
    public TimeSpan LagSampleInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>synchronous_commit of the synchronous lag runs: on (flush) or remote_apply (replay).</summary>
    public string SynchronousCommit { get; init; } = "on";

    /// <summary>pgbench scale of the bootstrap primary: 70 is about 1 GB.</summary>
    public int BootstrapScale { get; init; } = 70;

    /// <summary>
    /// The command a user types to run the cycle (program first, e.g. build.sh, Test, --pg-version,
    /// 15), timed as a new process each time for figure 6; without it that figure is left out.
    /// </summary>
    public IReadOnlyList<string>? UserCommand { get; init; }

    /// <summary>Where <see cref="UserCommand"/> runs: the repository's root.</summary>
    public string RepositoryRoot { get; init; } = ".";

    /// <summary>How often the user's command and the native cycle beside it are timed, after one untimed run of the command.</summary>
    public int CommandRepetitions { get; init; } = 5;

    /// <summary>The whole run must fit in this; past it the run stops and fails.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(20);

    public string ImageName => Image ?? $"postgres-replication:{PgMajor}";

    internal void Validate()
    {
        Require(PgMajor >= 13, $"PgMajor {PgMajor}: PostgreSQL 13 or newer is needed (wal_keep_size, server-side pgbench data).");
        Require(Repetitions >= 1, $"Repetitions {Repetitions}: at least 1.");
        Require(CycleRepetitions >= 1, $"CycleRepetitions {CycleRepetitions}: at least 1.");
        Require(CommandRepetitions >= 1, $"CommandRepetitions {CommandRepetitions}: at least 1.");
        Require(FailoverRepetitions >= 1, $"FailoverRepetitions {FailoverRepetitions}: at least 1.");
        Require(LagRate > 0 && LagClients > 0 && LagScale > 0 && BootstrapScale > 0, "LagRate, LagClients, LagScale and BootstrapScale must be positive.");
        Require(LagDuration >= TimeSpan.FromSeconds(2), $"LagDuration {LagDuration}: at least 2 s.");
        Require(Budget > TimeSpan.Zero, $"Budget {Budget}: positive (--benchmark-budget-minutes).");
        Require(LagSampleInterval > TimeSpan.Zero, "LagSampleInterval must be positive.");
        Require(SynchronousCommit is "on" or "remote_write" or "remote_apply", $"SynchronousCommit '{SynchronousCommit}': on, remote_write or remote_apply.");
        Require(Directory.Exists(NativeBinDirectory), $"NativeBinDirectory {NativeBinDirectory} does not exist: install postgresql-15 on the host, or point it at another bin folder.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Benchmark options: {message}");
        }
    }
}
