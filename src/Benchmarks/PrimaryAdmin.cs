namespace PostgresReplication.Benchmarks;

/// <summary>The same SQL on either side's primary: slots, synchronous mode, size, version, and promoting a standby to one.</summary>
internal static class PrimaryAdmin
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Drops a removed standby's slot once its walsender has gone (it notices the disconnect within moments).</summary>
    public static Task DropSlotAsync(PgEndpoint primary, string slot, CancellationToken ct) =>
        Wait.UntilAsync(
            $"slot {slot} on the primary ({primary}) to become inactive and be dropped",
            async token =>
            {
                await using var connection = await primary.OpenAsync(token);
                var active = await PgEndpoint.ScalarAsync<bool?>(
                    connection, "SELECT active FROM pg_replication_slots WHERE slot_name = @slot", token, ("slot", slot));
                switch (active)
                {
                    case null:
                        return Probe<bool>.Done(true, "no such slot");
                    case true:
                        return Probe<bool>.NotYet("slot still active");
                    default:
                        await PgEndpoint.ScalarAsync<object>(connection, "SELECT pg_drop_replication_slot(@slot)", token, ("slot", slot));
                        return Probe<bool>.Done(true, "dropped");
                }
            },
            Timeout,
            ct);

    /// <summary>A physical slot for a standby that will connect soon (the rejoining former primary).</summary>
    public static async Task CreateSlotAsync(PgEndpoint primary, string slot, CancellationToken ct) =>
        await primary.ScalarAsync<string>("SELECT slot_name FROM pg_create_physical_replication_slot(@slot)", ct, ("slot", slot));

    /// <summary>pg_promote() waits (up to 60 s) until the standby has left recovery; false means it had not by then.</summary>
    public static async Task PromoteAsync(PgEndpoint standby, CancellationToken ct)
    {
        if (!await standby.ScalarAsync<bool>("SELECT pg_promote()", ct))
        {
            throw new BenchmarkException($"pg_promote() on {standby}: the standby had not left recovery after 60 s.");
        }
    }

    /// <summary>
    /// Makes <paramref name="standby"/> synchronous (or none, when null) with ALTER SYSTEM and a reload,
    /// then waits until pg_stat_replication reports the sync state asked for.
    /// </summary>
    public static async Task SetSynchronousAsync(
        PgEndpoint primary, string? standby, string synchronousCommit, CancellationToken ct)
    {
        await using (var connection = await primary.OpenAsync(ct))
        {
            string[] statements = standby is null
                ? ["ALTER SYSTEM RESET synchronous_standby_names", "ALTER SYSTEM RESET synchronous_commit"]
                :
                [
                    $"ALTER SYSTEM SET synchronous_standby_names = '\"{standby}\"'",
                    $"ALTER SYSTEM SET synchronous_commit = '{synchronousCommit}'",
                ];
            foreach (var statement in statements.Append("SELECT pg_reload_conf()"))
            {
                await using var command = new Npgsql.NpgsqlCommand(statement, connection);
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        var wanted = standby is null ? "async" : "sync";
        await Wait.UntilAsync(
            $"every standby of {primary} to be {wanted}",
            async token =>
            {
                var states = await primary.ScalarAsync<string>(
                    "SELECT string_agg(DISTINCT sync_state, ',') FROM pg_stat_replication", token);
                return states == wanted ? Probe<bool>.Done(true) : Probe<bool>.NotYet($"sync_state {states ?? "(no standby)"}");
            },
            Timeout,
            ct);
    }

    /// <summary>All databases together: what pg_basebackup copies, besides WAL.</summary>
    public static async Task<long> DataSizeBytesAsync(PgEndpoint primary, CancellationToken ct) =>
        await primary.ScalarAsync<long>("SELECT sum(pg_database_size(oid))::bigint FROM pg_database", ct);

    public static async Task CheckpointAsync(PgEndpoint primary, CancellationToken ct) =>
        await primary.ExecuteAsync("CHECKPOINT", ct);

    public static async Task<string> ServerVersionAsync(PgEndpoint primary, CancellationToken ct) =>
        await primary.ScalarAsync<string>("SHOW server_version", ct) ?? "unknown";
}
