using Npgsql;

namespace Replication.Tests.Scenarios;

/// <summary>One commit the server acknowledged: its row id, the member that took it, and whether
/// that member was in recovery inside the same transaction (a demoted node would say true).</summary>
internal sealed record AcknowledgedCommit(long Id, string Member, bool InRecovery, TimeSpan At);

/// <summary>
/// A client that keeps inserting unique rows through one endpoint, a new connection per row, as
/// an application that retries would: errors are counted and retried, and only what COMMIT
/// acknowledged is recorded, with the member's identity read in the same transaction.
/// </summary>
internal sealed class AcknowledgedWriter(string connectionString, string table)
{
    /// <summary>SQL for the member's name: its host name, which /etc/hostname ends with a line break.</summary>
    public const string MemberSql = "btrim(pg_read_file('/etc/hostname'), E' \\n')";

    private readonly List<AcknowledgedCommit> _acknowledged = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _next;

    public int Errors { get; private set; }

    public IReadOnlyList<AcknowledgedCommit> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return [.. _acknowledged];
            }
        }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Writes until <paramref name="ct"/> is cancelled; never throws for a failed write.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var id = ++_next;
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var insert = new NpgsqlCommand(
                    $"INSERT INTO {table} (id, member) VALUES ($1, {MemberSql}) RETURNING member, pg_is_in_recovery()",
                    connection);
                insert.Parameters.AddWithValue(id);
                await using var reader = await insert.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                var commit = new AcknowledgedCommit(id, reader.GetString(0), reader.GetBoolean(1), _clock.Elapsed);
                // Autocommit: the statement's completion is the commit's acknowledgement.
                await reader.CloseAsync();
                lock (_acknowledged)
                {
                    _acknowledged.Add(commit);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                Errors++;
                // A failed connection attempt returns at once while no member leads: pace the retries.
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
