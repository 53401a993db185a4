using Npgsql;

namespace PostgresReplication;

/// <summary>
/// One connection kept across the polls of a wait (opening one costs a TCP and SCRAM round trip
/// every 50 ms otherwise); dropped and reopened after any error.
/// </summary>
internal sealed class ProbeConnection(PostgresNode node) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        try
        {
            _connection ??= await node.OpenConnectionAsync(ct);
            return await PgEndpoint.ScalarAsync<T>(_connection, sql, ct, parameters);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
