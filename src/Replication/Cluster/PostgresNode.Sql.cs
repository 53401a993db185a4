using Npgsql;
using NpgsqlTypes;

namespace PostgresReplication;

/// <summary>SQL against a node, as the superuser, through its published loopback port.</summary>
public sealed partial class PostgresNode
{
    /// <summary>The superuser at 127.0.0.1:HostPort (read back after every start).</summary>
    public PgEndpoint Endpoint => new(
        HostPort > 0 ? HostPort : throw new InvalidOperationException($"{Name} has no published port: is it running?"),
        _options.SuperuserName,
        _options.SuperuserPassword,
        _options.Database)
    {
        ConnectTimeoutSeconds = (int)Math.Ceiling(_options.ConnectTimeout.TotalSeconds),
    };

    public string ConnectionString => Endpoint.ConnectionString;

    public Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct) => Endpoint.OpenAsync(ct);

    public Task<int> ExecuteAsync(string sql, CancellationToken ct) => Endpoint.ExecuteAsync(sql, ct);

    /// <summary>The first column of the first row; default when it is NULL or there is no row.</summary>
    public Task<T?> ScalarAsync<T>(string sql, CancellationToken ct) => Endpoint.ScalarAsync<T>(sql, ct);

    public async Task<NpgsqlLogSequenceNumber> CurrentWalLsnAsync(CancellationToken ct) =>
        await ScalarAsync<NpgsqlLogSequenceNumber>("SELECT pg_current_wal_lsn()", ct);

    /// <summary>How far a standby has replayed WAL; null on a server that is not in recovery.</summary>
    public Task<NpgsqlLogSequenceNumber?> ReplayLsnAsync(CancellationToken ct) =>
        ScalarAsync<NpgsqlLogSequenceNumber?>("SELECT pg_last_wal_replay_lsn()", ct);

    public async Task<bool> IsInRecoveryAsync(CancellationToken ct) =>
        await ScalarAsync<bool>("SELECT pg_is_in_recovery()", ct);
}
