using NpgsqlTypes;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The native side's waits: the same conditions, deadline and 50 ms polling (<see cref="Wait"/>) as
/// the library's probes for containers, and the same early failure when a server has exited.
/// </summary>
internal static class NativeProbes
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task WaitUntilAcceptingConnectionsAsync(NativeServer server, PgEndpoint endpoint, CancellationToken ct) =>
        Wait.UntilAsync(
            $"native {server.Name} to accept connections on {endpoint}",
            async token =>
            {
                server.ThrowIfExited();
                var one = await endpoint.ScalarAsync<int>("SELECT 1", token);
                return one == 1 ? Probe<bool>.Done(true) : Probe<bool>.NotYet($"SELECT 1 returned {one}");
            },
            Timeout,
            ct);

    public static async Task WaitUntilStreamingAsync(
        NativeServer primary, PgEndpoint primaryEndpoint, NativeServer standby, string applicationName, CancellationToken ct)
    {
        await using var connection = new KeptConnection(primaryEndpoint);
        await Wait.UntilAsync(
            $"native {standby.Name} to stream from {primary.Name} (application_name '{applicationName}' with state 'streaming')",
            async token =>
            {
                primary.ThrowIfExited();
                standby.ThrowIfExited();
                var state = await connection.ScalarAsync<string>(
                    "SELECT state FROM pg_stat_replication WHERE application_name = @name", token, ("name", applicationName));
                return state == "streaming"
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet(state is null ? $"no row for '{applicationName}' in pg_stat_replication" : $"state '{state}'");
            },
            Timeout,
            ct);
    }

    public static async Task WaitForReplayAsync(
        NativeServer standby, PgEndpoint standbyEndpoint, NpgsqlLogSequenceNumber lsn, CancellationToken ct)
    {
        await using var connection = new KeptConnection(standbyEndpoint);
        await Wait.UntilAsync(
            $"native {standby.Name} to replay WAL up to {lsn}",
            async token =>
            {
                standby.ThrowIfExited();
                var replayed = await connection.ScalarAsync<NpgsqlLogSequenceNumber?>("SELECT pg_last_wal_replay_lsn()", token);
                return replayed >= lsn
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet(replayed is { } at ? $"replayed up to {at}" : "not in recovery (no replay position)");
            },
            Timeout,
            ct);
    }
}
