using NpgsqlTypes;

namespace PostgresReplication;

/// <summary>
/// The waits a replication scenario needs, each a real check polled with a deadline (by default
/// the cluster's <see cref="ClusterOptions.WaitTimeout"/>). Every poll first asks whether a
/// container involved has exited, so a refused start fails at once with its exit code and log.
/// </summary>
public static class Probes
{
    public static Task WaitUntilAcceptingConnectionsAsync(IProbedServer node, CancellationToken ct) =>
        WaitUntilAcceptingConnectionsAsync(node, node.WaitTimeout, ct);

    /// <summary>A fresh connection opens and answers SELECT 1.</summary>
    public static Task WaitUntilAcceptingConnectionsAsync(IProbedServer node, TimeSpan timeout, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{node.Name} to accept connections",
            async token =>
            {
                await node.ThrowIfExitedAsync(token);
                var one = await node.Endpoint.ScalarAsync<int>("SELECT 1", token);
                return one == 1 ? Probe<bool>.Done(true) : Probe<bool>.NotYet($"SELECT 1 returned {one}");
            },
            timeout,
            ct);

    public static Task<StreamingStatus> WaitUntilStreamingAsync(IProbedServer upstream, PostgresNode standby, CancellationToken ct) =>
        WaitUntilStreamingAsync(upstream, standby, upstream.WaitTimeout, ct);

    /// <summary>The upstream's pg_stat_replication shows the standby (by its slot name) streaming.</summary>
    public static Task<StreamingStatus> WaitUntilStreamingAsync(
        IProbedServer upstream, PostgresNode standby, TimeSpan timeout, CancellationToken ct) =>
        StreamingAsync(upstream, standby.SlotName, standby, timeout, ct);

    /// <summary>For a standby that is not a container node (the benchmark's native standby).</summary>
    public static Task<StreamingStatus> WaitUntilStreamingAsync(
        IProbedServer upstream, IProbedServer standby, string applicationName, TimeSpan timeout, CancellationToken ct) =>
        StreamingAsync(upstream, applicationName, standby, timeout, ct);

    /// <summary>For a standby known only by its application_name (its slot name).</summary>
    public static Task<StreamingStatus> WaitUntilStreamingAsync(
        IProbedServer upstream, string applicationName, TimeSpan timeout, CancellationToken ct) =>
        StreamingAsync(upstream, applicationName, standby: null, timeout, ct);

    public static Task WaitForReplayAsync(IProbedServer standby, NpgsqlLogSequenceNumber lsn, CancellationToken ct) =>
        WaitForReplayAsync(standby, lsn, standby.WaitTimeout, ct);

    /// <summary>The standby has replayed WAL up to <paramref name="lsn"/> (taken on the primary after a write).</summary>
    public static async Task WaitForReplayAsync(
        IProbedServer standby, NpgsqlLogSequenceNumber lsn, TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = new KeptConnection(() => standby.Endpoint);
        await Wait.UntilAsync(
            $"{standby.Name} to replay WAL up to {lsn}",
            async token =>
            {
                await standby.ThrowIfExitedAsync(token);
                var replayed = await connection.ScalarAsync<NpgsqlLogSequenceNumber?>("SELECT pg_last_wal_replay_lsn()", token);
                return replayed >= lsn
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet(replayed is { } at ? $"replayed up to {at}" : "not in recovery (no replay position)");
            },
            timeout,
            ct);
    }

    /// <summary>
    /// The standby follows the primary's history, not only connects to it: its WAL receiver streams
    /// on the primary's current timeline, and it has replayed the primary's WAL up to now. A standby
    /// whose history forked off (it holds WAL the primary never had) reconnects every second and
    /// looks streaming for a moment each time; this never holds for it.
    /// </summary>
    public static async Task WaitUntilFollowingAsync(PostgresNode primary, PostgresNode standby, CancellationToken ct)
    {
        // The first 8 hex digits of a WAL file name are the timeline it is written on now.
        const string sql = "SELECT pg_current_wal_lsn()::text || ' ' || ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int";
        var position = await primary.ScalarAsync<string>(sql, ct);
        if (position?.Split(' ') is not [var lsnText, var timelineText])
        {
            throw new InvalidOperationException($"{primary.Name} did not tell its WAL position");
        }

        var (lsn, timeline) = (NpgsqlLogSequenceNumber.Parse(lsnText), timelineText);
        await using var connection = new KeptConnection(() => standby.Endpoint);
        await Wait.UntilAsync(
            $"{standby.Name} to follow {primary.Name} (streaming on timeline {timeline}, replayed up to {lsn})",
            async token =>
            {
                await standby.ThrowIfExitedAsync(token);
                var row = await connection.ScalarAsync<string>(
                    """
                    SELECT coalesce(r.status, 'none') || ' ' || coalesce(r.received_tli, 0) || ' ' || coalesce(pg_last_wal_replay_lsn()::text, '0/0')
                    FROM (SELECT 1) one LEFT JOIN pg_stat_wal_receiver r ON true
                    """,
                    token);
                if (row?.Split(' ') is not [var status, var receivedTimeline, var replayed])
                {
                    return Probe<bool>.NotYet("no answer");
                }

                return status == "streaming" && receivedTimeline == timeline && NpgsqlLogSequenceNumber.Parse(replayed) >= lsn
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet($"WAL receiver {status} on timeline {receivedTimeline}, replayed up to {replayed}");
            },
            standby.WaitTimeout,
            ct);
    }

    private static async Task<StreamingStatus> StreamingAsync(
        IProbedServer upstream, string applicationName, IProbedServer? standby, TimeSpan timeout, CancellationToken ct)
    {
        // On a cascading upstream (itself a standby) the position to compare with is its replay position.
        const string sql = """
            SELECT state || ' ' || COALESCE(pg_wal_lsn_diff(
                       CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END,
                       replay_lsn), 0)::bigint
            FROM pg_stat_replication WHERE application_name = @name
            """;
        await using var connection = new KeptConnection(() => upstream.Endpoint);
        var name = standby?.Name ?? applicationName;
        return await Wait.UntilAsync(
            $"{name} to stream from {upstream.Name} (application_name '{applicationName}' with state 'streaming')",
            async token =>
            {
                await upstream.ThrowIfExitedAsync(token);
                if (standby is not null)
                {
                    await standby.ThrowIfExitedAsync(token);
                }

                var row = await connection.ScalarAsync<string>(sql, token, ("name", applicationName));
                if (row?.Split(' ') is not [var state, var lag])
                {
                    return Probe<StreamingStatus>.NotYet($"no row for '{applicationName}' in pg_stat_replication");
                }

                var status = new StreamingStatus(name, upstream.Name, state, long.Parse(lag, System.Globalization.CultureInfo.InvariantCulture));
                return state == "streaming"
                    ? Probe<StreamingStatus>.Done(status)
                    : Probe<StreamingStatus>.NotYet($"state '{state}'");
            },
            timeout,
            ct);
    }
}

/// <summary>A standby's row in its upstream's pg_stat_replication; its text is the log line.</summary>
public sealed record StreamingStatus(string Standby, string Upstream, string State, long LagBytes)
{
    public override string ToString() => $"{Standby} {State} from {Upstream} (lag {LagBytes} B)";
}
