using Npgsql;

namespace PostgresReplication.Benchmarks;

/// <summary>One connection reused across the polls of a wait or a sampler; reopened after any error.</summary>
internal sealed class KeptConnection(PgEndpoint endpoint) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        try
        {
            _connection ??= await endpoint.OpenAsync(ct);
            return await PgEndpoint.ScalarAsync<T>(_connection, sql, ct, parameters);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The open connection, for queries that read more than one column.</summary>
    public async Task<NpgsqlConnection> ConnectionAsync(CancellationToken ct) => _connection ??= await endpoint.OpenAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
