using Npgsql;

namespace PostgresReplication;

/// <summary>
/// One connection reused across the polls of a wait or a sampler (opening one costs a TCP and SCRAM
/// round trip every 50 ms otherwise); dropped after any error and reopened at the endpoint of the
/// moment, which follows a container's new port after a restart.
/// </summary>
public sealed class KeptConnection(Func<PgEndpoint> endpoint) : IAsyncDisposable
{
    public KeptConnection(PgEndpoint endpoint)
        : this(() => endpoint)
    {
    }

    private NpgsqlConnection? _connection;

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        try
        {
            _connection ??= await endpoint().OpenAsync(ct);
            return await PgEndpoint.ScalarAsync<T>(_connection, sql, ct, parameters);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The open connection, for queries that read more than one column.</summary>
    public async Task<NpgsqlConnection> ConnectionAsync(CancellationToken ct) => _connection ??= await endpoint().OpenAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
