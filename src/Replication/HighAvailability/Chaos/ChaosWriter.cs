using System.Diagnostics;
using Npgsql;

namespace PostgresReplication;

/// <summary>
/// A client writing unique rows (1, 2, 3...) through the read-write endpoint, one autocommit INSERT
/// at a time, recording each attempt before it is sent and each acknowledgement after the server
/// confirmed the commit. A failure costs its connection: the next attempt opens a new one, as a
/// client behind a load balancer does after a failover.
/// </summary>
public sealed class ChaosWriter(PgEndpoint readWrite, WriteLedger ledger, Stopwatch clock, Action<string> log)
{
    public const string Table = "chaos_rows";

    /// <summary>Between two writes, so the writer does not take the 2-core machine from the members it tests.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(20);

    private readonly PgEndpoint _endpoint = readWrite with { ApplicationName = "chaos-writer", ConnectTimeoutSeconds = 2 };

    /// <summary>
    /// After a failure, before the next connection: HAProxy needs a check (1 s) to see a new leader,
    /// so 200 ms does not hammer it; the failover benchmark polls every 100 ms.
    /// </summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromMilliseconds(200);

    public static string CreateTableSql =>
        $"CREATE TABLE IF NOT EXISTS {Table} (seq bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT clock_timestamp())";

    /// <summary>
    /// Writes until <paramref name="stop"/> is cancelled. The INSERT in flight is never cancelled:
    /// a cancelled wait for a synchronous standby reports the commit as done although no standby has
    /// it, which would count as acknowledged a row strict mode never promised. It ends when the
    /// server answers or the connection breaks (a failover ends it), so stopping waits for that.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        NpgsqlConnection? connection = null;
        long sequence = 0;
        string? lastError = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    connection ??= await _endpoint.OpenAsync(stop);
                    await WriteAsync(connection, ++sequence);
                    if (lastError is not null)
                    {
                        log($"writer: row {sequence} committed at {clock.Elapsed.TotalSeconds:0.0} s after errors, last: {lastError}");
                        lastError = null;
                    }

                    await Task.Delay(Pace, stop);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
                {
                    ledger.Failed();
                    lastError ??= Wait.Describe(e);
                    await DisposeAsync(connection);
                    connection = null;
                    await Task.Delay(RetryPause, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The end of the run, while connecting or pausing between writes.
        }
        finally
        {
            await DisposeAsync(connection);
        }
    }

    private async Task WriteAsync(NpgsqlConnection connection, long sequence)
    {
        await using var insert = new NpgsqlCommand($"INSERT INTO {Table} (seq) VALUES ($1)", connection)
        {
            CommandTimeout = 0,
            Parameters = { new NpgsqlParameter { Value = sequence } },
        };
        ledger.Attempted(sequence);
        await insert.ExecuteNonQueryAsync(CancellationToken.None);
        ledger.Acknowledged(sequence, clock.Elapsed);
    }

    private static async Task DisposeAsync(NpgsqlConnection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
