using Npgsql;
using NpgsqlTypes;

namespace PostgresReplication;

/// <summary>
/// Asks the primary how it sees each standby (pg_stat_replication) and each standby how much WAL it
/// holds, so that <see cref="RoleChangePlan"/> decides on facts, before anything is stopped or killed.
/// </summary>
public static class StandbySurvey
{
    /// <summary>
    /// How long a standby may take to answer before it counts as out of reach: long enough for one
    /// that is merely slow (a loaded host, a paused container), which a single connection attempt
    /// would take for absent.
    /// </summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    public static async Task<ClusterSurvey> TakeAsync(Topology current, CancellationToken ct)
    {
        var asked = current.Standbys.Select(s => AskAsync(s, ct)).ToList();
        var seen = await PrimaryViewAsync(current, ct);
        var standbys = await Task.WhenAll(asked);
        return new ClusterSurvey(
            current.Primary.Name,
            seen is not null,
            [.. standbys.Select(s => seen?.GetValueOrDefault(s.Name) is { } row
                ? s with { ReplicationState = row.State, SyncState = row.SyncState }
                : s)]);
    }

    /// <summary>The standbys that answered <paramref name="before"/>, asked again; the primary's view is carried over.</summary>
    public static async Task<IReadOnlyList<StandbyState>> AskAgainAsync(ClusterSurvey before, Topology current, CancellationToken ct)
    {
        var again = await Task.WhenAll(current.Standbys
            .Where(s => before[s.Name].Answered)
            .Select(async s => await AskAsync(s, ct) with
            {
                ReplicationState = before[s.Name].ReplicationState,
                SyncState = before[s.Name].SyncState,
            }));
        return again;
    }

    /// <summary>One attempt: a primary that is gone (already killed) should not hold up a failover.</summary>
    private static async Task<IReadOnlyDictionary<string, (string? State, string? SyncState)>?> PrimaryViewAsync(
        Topology current, CancellationToken ct)
    {
        try
        {
            await using var connection = await current.Primary.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(
                // A standby reconnecting may have two rows for a moment: the streaming one counts.
                "SELECT application_name, state, sync_state FROM pg_stat_replication ORDER BY state = 'streaming' DESC",
                connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new Dictionary<string, (string?, string?)>();
            while (await reader.ReadAsync(ct))
            {
                rows.TryAdd(reader.GetString(0), (Text(reader, 1), Text(reader, 2)));
            }

            return current.Standbys
                .Where(s => rows.ContainsKey(s.SlotName))
                .ToDictionary(s => s.Name, s => rows[s.SlotName]);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Polled until it answers or <see cref="AnswerTimeout"/> passes; a standby whose container exited does not answer.</summary>
    private static async Task<StandbyState> AskAsync(PostgresNode standby, CancellationToken ct)
    {
        try
        {
            return await Wait.UntilAsync(
                $"{standby.Name} to answer",
                async token =>
                {
                    await standby.ThrowIfExitedAsync(token);
                    await using var connection = await standby.OpenConnectionAsync(token);
                    await using var command = new NpgsqlCommand(
                        "SELECT pg_is_in_recovery(), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()", connection);
                    await using var reader = await command.ExecuteReaderAsync(token);
                    await reader.ReadAsync(token);
                    return Probe<StandbyState>.Done(new StandbyState(standby.Name)
                    {
                        Answered = true,
                        InRecovery = reader.GetBoolean(0),
                        Received = Lsn(reader, 1),
                        Replayed = Lsn(reader, 2),
                    });
                },
                AnswerTimeout,
                ct);
        }
        catch (Exception e) when (e is WaitTimeoutException or WaitAbortedException)
        {
            return new StandbyState(standby.Name);
        }
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static NpgsqlLogSequenceNumber? Lsn(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(column);
}
