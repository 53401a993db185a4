using Npgsql;
using NpgsqlTypes;

namespace PostgresReplication;

/// <summary>SQL against a node, as the superuser, through its published loopback port.</summary>
public sealed partial class PostgresNode
{
    /// <summary>
    /// Superuser to 127.0.0.1:HostPort. Pooling is off so a probe never reuses a connection from
    /// before a restart or a recreate.
    /// </summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = HostPort > 0 ? HostPort : throw new InvalidOperationException($"{Name} has no published port: is it running?"),
        Username = _options.SuperuserName,
        Password = _options.SuperuserPassword,
        Database = _options.Database,
        Pooling = false,
        Timeout = 5,
        ApplicationName = "postgres-replication",
    }.ConnectionString;

    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of the first row; default when it is NULL or there is no row.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct);
        return await ScalarAsync<T>(connection, sql, ct);
    }

    public async Task<NpgsqlLogSequenceNumber> CurrentWalLsnAsync(CancellationToken ct) =>
        await ScalarAsync<NpgsqlLogSequenceNumber>("SELECT pg_current_wal_lsn()", ct);

    /// <summary>How far a standby has replayed WAL; null on a server that is not in recovery.</summary>
    public Task<NpgsqlLogSequenceNumber?> ReplayLsnAsync(CancellationToken ct) =>
        ScalarAsync<NpgsqlLogSequenceNumber?>("SELECT pg_last_wal_replay_lsn()", ct);

    public async Task<bool> IsInRecoveryAsync(CancellationToken ct) =>
        await ScalarAsync<bool>("SELECT pg_is_in_recovery()", ct);

    internal static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && !await reader.IsDBNullAsync(0, ct)
            ? await reader.GetFieldValueAsync<T>(0, ct)
            : default;
    }
}
