using System.Diagnostics;
using Npgsql;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Reads a standby's replay lag from its primary at a fixed interval until stopped. One kept
/// connection; a failed read is recorded as a gap, not as zero, so the caller can refuse the run.
/// </summary>
internal sealed class LagSampler(PgEndpoint primary, string applicationName, TimeSpan interval)
{
    private const string Sql = """
        SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,
               (EXTRACT(epoch FROM replay_lag) * 1000)::float8
        FROM pg_stat_replication WHERE application_name = @name
        """;

    /// <summary>Samples until <paramref name="stop"/> is cancelled; <paramref name="ct"/> aborts the whole run.</summary>
    public async Task<IReadOnlyList<LagSample>> SampleAsync(CancellationToken stop, CancellationToken ct)
    {
        var samples = new List<LagSample>();
        await using var connection = new KeptConnection(primary);
        using var timer = new PeriodicTimer(interval);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, ct);
        var clock = Stopwatch.StartNew();
        try
        {
            do
            {
                samples.Add(await ReadAsync(connection, clock.Elapsed, either.Token));
            }
            while (await timer.WaitForNextTickAsync(either.Token));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Stopped: the load is over.
        }

        return samples;
    }

    private async Task<LagSample> ReadAsync(KeptConnection kept, TimeSpan at, CancellationToken ct)
    {
        try
        {
            var connection = await kept.ConnectionAsync(ct);
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.AddWithValue("name", applicationName);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || await reader.IsDBNullAsync(0, ct))
            {
                return new LagSample(at, null, null);
            }

            var bytes = reader.GetInt64(0);
            double? replayLag = await reader.IsDBNullAsync(1, ct) ? null : reader.GetDouble(1);
            return new LagSample(at, bytes, replayLag);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            await kept.DisposeAsync();
            return new LagSample(at, null, null);
        }
    }
}

/// <summary>
/// One reading of the primary's pg_stat_replication for the standby: replay lag in bytes
/// (current WAL position minus replay position) and replay_lag in milliseconds (null when the
/// server has no current measurement). Null bytes: the read failed or the standby was not listed.
/// </summary>
public sealed record LagSample(TimeSpan At, long? Bytes, double? ReplayLagMs);
