namespace PostgresReplication.Benchmarks;

/// <summary>How the leader is lost in a failover trial.</summary>
public enum HaLoss
{
    /// <summary>SIGKILL to the leader's whole container (docker kill), as a lost host: its key must expire.</summary>
    ContainerKilled,

    /// <summary>SIGKILL from the host to the leader's postmaster alone: Patroni lives on and sees it gone.</summary>
    PostgresKilled,

    /// <summary>docker stop of the leader: Patroni stops PostgreSQL and hands the key over.</summary>
    CleanStop,
}

/// <summary>
/// The HA failover benchmark (issue 19, item 5): trials per timing and per way of losing the leader,
/// then pgbench with no fault, watched for failovers. Every count and length is a parameter so a
/// short run proves the code; the defaults are the (about an hour, see <see cref="HaBenchmark"/>).
/// </summary>
public sealed record HaBenchmarkOptions
{
    /// <summary>The HA image, built (e.g. postgres-replication:18-ha).</summary>
    public required string Image { get; init; }

    /// <summary>Where benchmarks-ha.md is written (the repository's docs/).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The timings measured, each on its own cluster.</summary>
    public IReadOnlyList<PatroniTiming> Timings { get; init; } = [PatroniTiming.PatroniDefaults, PatroniTiming.Recommended];

    /// <summary>Trials of each way of losing the leader, per timing.</summary>
    public int Trials { get; init; } = 10;

    /// <summary>SYNCHRONOUS_MODE of the clusters: strict, so that a lost acknowledged row is a failure.</summary>
    public string SynchronousMode { get; init; } = "strict";

    /// <summary>How long pgbench runs through HAProxy, with no fault, per timing.</summary>
    public TimeSpan PgbenchDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>pgbench clients, unthrottled: the load that could starve Patroni's loop on 2 cores.</summary>
    public int PgbenchClients { get; init; } = 4;

    public int PgbenchScale { get; init; } = 10;

    public string Pgbench { get; init; } = "pgbench";

    /// <summary>How long a member gets to come up or to be elected at the start.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(120);

    internal void Validate()
    {
        Require(Timings.Count > 0, "no timing to measure: give defaults, recommended or both (--ha-benchmark-settings).");
        Require(Trials >= 1, $"--ha-benchmark-trials is {Trials}: at least 1 (10 for the report).");
        Require(SynchronousMode is "strict" or "on" or "off", $"--ha-benchmark-synchronous-mode is '{SynchronousMode}': strict, on or off.");
        Require(PgbenchDuration >= TimeSpan.FromSeconds(10), $"--ha-benchmark-pgbench-seconds is {PgbenchDuration.TotalSeconds:0}: at least 10 (600 for the report).");
        Require(PgbenchClients > 0 && PgbenchScale > 0, "pgbench clients and scale must be positive.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
