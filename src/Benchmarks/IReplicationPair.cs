namespace PostgresReplication.Benchmarks;

/// <summary>
/// A primary and its standbys, driven step by step as the pipeline does (StartPrimary,
/// StartStandby, Seed, AssertReplication): once with the image through the library's cluster
/// classes, once with the host's own PostgreSQL as the reference. Disposing removes everything.
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

    /// <summary>Removes a standby and its data, and drops its slot on the primary so no WAL is held back for it.</summary>
    Task RemoveStandbyAsync(string standbyName, CancellationToken ct);
}
