namespace PostgresReplication;

/// <summary>
/// A server the <see cref="Probes"/> can wait on: a container node, or a native server on the host
/// (the benchmark's reference), so both sides are waited on by the same code.
/// </summary>
public interface IProbedServer
{
    string Name { get; }

    /// <summary>Where to connect now (a container's port can change when it restarts).</summary>
    PgEndpoint Endpoint { get; }

    /// <summary>The default deadline for waits on this server.</summary>
    TimeSpan WaitTimeout { get; }

    /// <summary>Fails a wait at once, with the reason, when the server has exited.</summary>
    Task ThrowIfExitedAsync(CancellationToken ct);
}
