using Npgsql;

namespace PostgresReplication;

/// <summary>
/// A server as seen from the host: a loopback port and the superuser. The same form for a container
/// (its published port) and a native server, so the probes and the benchmark's load are the same
/// code for both.
/// </summary>
public sealed record PgEndpoint(int Port, string User, string Password, string Database)
{
    public const string Host = "127.0.0.1";

    /// <summary>
    /// Where the server listens: the loopback (a published port) unless set, or a container's address
    /// on a bridge network, which the host reaches directly on Linux (the chaos sampler's path to a
    /// member that a fault cut off the cluster's network).
    /// </summary>
    public string Address { get; init; } = Host;

    public string ApplicationName { get; init; } = "postgres-replication";

    /// <summary>
    /// Seconds to open a connection, which includes Npgsql's type loading query. A client that gives
    /// up in the middle of it closes the socket under the server's answer, which a server under qemu
    /// does not survive (its backend exits with 141 and the postmaster restarts everything).
    /// </summary>
    public int ConnectTimeoutSeconds { get; init; } = 5;

    /// <summary>
    /// No pooling, so a probe never reuses a connection from before a restart or a recreate.
    /// </summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Address,
        Port = Port,
        Username = User,
        Password = Password,
        Database = Database,
        Pooling = false,
        Timeout = ConnectTimeoutSeconds,
        ApplicationName = ApplicationName,
    }.ConnectionString;

    /// <summary>For libpq tools (pgbench, pg_basebackup): the password never appears in a process list.</summary>
    public IReadOnlyDictionary<string, string> LibpqEnvironment => new Dictionary<string, string>
    {
        ["PGHOST"] = Address,
        ["PGPORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PGUSER"] = User,
        ["PGPASSWORD"] = Password,
        ["PGDATABASE"] = Database,
    };

    /// <summary>Never the password: endpoints appear in log lines.</summary>
    public override string ToString() => $"{Address}:{Port}";

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
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

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(ct);
        return await ScalarAsync<T>(connection, sql, ct, parameters);
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of the first row; default when it is NULL or there is no row.</summary>
    public static async Task<T?> ScalarAsync<T>(
        NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && !await reader.IsDBNullAsync(0, ct)
            ? await reader.GetFieldValueAsync<T>(0, ct)
            : default;
    }
}
