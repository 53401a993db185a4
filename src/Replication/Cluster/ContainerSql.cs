
namespace PostgresReplication;

/// <summary>
/// psql inside a container, as the superuser over its trusted socket: for servers the host has no
/// port to, such as Swarm tasks and pods run as a StatefulSet would run them.
/// </summary>
internal static class ContainerSql
{
    /// <summary>The rows of <paramref name="sql"/>, one line each, columns joined by '|'; an SQL error throws.</summary>
    public static async Task<IReadOnlyList<string>> QueryAsync(
        DockerEngine engine, string containerId, string sql, CancellationToken ct)
    {
        var result = await ContainerExec.RunAsync(
            engine,
            containerId,
            ["psql", "--no-psqlrc", "--no-align", "--tuples-only", "-v", "ON_ERROR_STOP=1", "--username=postgres", "--dbname=postgres", "--command", sql],
            ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql exited {result.ExitCode} for '{sql}': {result.Stderr.Trim()}");
        }

        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The first column of the first row, or "" when there is none.</summary>
    public static async Task<string> ScalarAsync(DockerEngine engine, string containerId, string sql, CancellationToken ct) =>
        (await QueryAsync(engine, containerId, sql, ct)).FirstOrDefault()?.Split('|')[0] ?? "";

    /// <summary>The slots that stream from this server now: application_name of each walsender in state streaming.</summary>
    public static async Task<IReadOnlySet<string>> StreamingStandbysAsync(DockerEngine engine, string containerId, CancellationToken ct) =>
        (await QueryAsync(engine, containerId, "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'", ct))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// What a standby's WAL receiver does, and under which slot: "streaming standby_1". A clone's WAL
    /// stream (pg_basebackup -X stream) shows in the primary's pg_stat_replication under the same name
    /// as the standby will, so only the standby itself can tell that it streams.
    /// </summary>
    public static Task<string> WalReceiverAsync(DockerEngine engine, string containerId, CancellationToken ct) =>
        ScalarAsync(
            engine,
            containerId,
            "SELECT coalesce((SELECT status || ' ' || coalesce(slot_name, '(no slot)') FROM pg_stat_wal_receiver), 'no WAL receiver')",
            ct);

    /// <summary>Waits until this standby has replayed the WAL up to <paramref name="lsn"/> (text form, e.g. 0/3000060).</summary>
    public static Task WaitUntilReplayedAsync(
        DockerEngine engine, string containerId, string name, string lsn, TimeSpan timeout, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{name} to replay WAL up to {lsn}",
            async token =>
            {
                var row = (await QueryAsync(
                    engine, containerId, $"SELECT pg_last_wal_replay_lsn(), pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", token))[0];
                return row.EndsWith("|t", StringComparison.Ordinal)
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet($"replayed up to '{row.Split('|')[0]}'");
            },
            timeout,
            ct);
}
