namespace PostgresReplication.Benchmarks;

/// <summary>
/// A primary and its standbys, driven step by step as the pipeline does (StartPrimary,
/// StartStandby, Seed, AssertReplication), and through a failover and a rejoin: once with the
/// image through the library's cluster classes, once with the host's own PostgreSQL as the
/// reference. Disposing removes everything.
/// </summary>
internal interface IReplicationPair : IAsyncDisposable
{
    /// <summary>"container" or "native": the column the figures go in.</summary>
    string Side { get; }

    /// <summary>Valid once the primary has started.</summary>
    PgEndpoint Primary { get; }

    /// <summary>
    /// Starts a new primary; returns once it accepts connections. <paramref name="standbyAlongside"/>
    /// names a standby the pipeline would start at the same time (the image's standby waits for its
    /// primary); a side that cannot do that ignores it.
    /// </summary>
    Task StartPrimaryAsync(CancellationToken ct, string? standbyAlongside = null);

    /// <summary>Starts a new standby of the primary; returns once the primary shows it streaming, with its application_name.</summary>
    Task<string> StartStandbyAsync(string name, CancellationToken ct);

    /// <summary>The tutorial's table and row, written on the primary.</summary>
    Task SeedAsync(CancellationToken ct);

    /// <summary>Waits until the standby has replayed the primary's current WAL position, then compares row counts.</summary>
    Task AssertReplicationAsync(string standbyName, CancellationToken ct);

    /// <summary>
    /// Promotes the standby (pg_promote, which waits until it is done) after the primary's postmaster was
    /// killed; it is the pair's primary from then on.
    /// </summary>
    Task PromoteAsync(string standbyName, CancellationToken ct);

    /// <summary>
    /// Brings the killed primary back as a standby of the promoted one by pg_rewind on its own data
    /// (no new clone), named as before; returns once the new primary shows it streaming.
    /// </summary>
    Task RejoinFormerPrimaryAsync(CancellationToken ct);

    /// <summary>Stops a standby the way its side stops a server (fast shutdown), keeping its data and its slot on the primary.</summary>
    Task StopStandbyAsync(string standbyName, CancellationToken ct);

    /// <summary>Starts a stopped standby again on its data; returns at once, before it has connected.</summary>
    Task RestartStandbyAsync(string standbyName, CancellationToken ct);

    /// <summary>
    /// The host PID of the primary's postmaster: the failover kills it (<see cref="PostmasterKill"/>, the same
    /// SIGKILL on both sides) and the fan-out reads its WAL senders' CPU time below it in /proc.
    /// </summary>
    Task<int> PrimaryPostmasterPidAsync(CancellationToken ct);

    /// <summary>Removes a standby and its data, and drops its slot on the primary so no WAL is held back for it.</summary>
    Task RemoveStandbyAsync(string standbyName, CancellationToken ct);
}
