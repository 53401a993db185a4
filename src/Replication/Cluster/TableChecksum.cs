namespace PostgresReplication;

/// <summary>
/// A table's row count and a digest of all its rows, independent of their physical order: two
/// nodes with the same result hold the same rows, none lost or duplicated. The pipeline's
/// AssertReplication and the scenarios compare nodes with it.
/// </summary>
public static class TableChecksum
{
    /// <param name="table">An SQL name, quoted where it needs to be; it is written into the query as given.</param>
    /// <returns>"N rows, md5 X", the same text on every node that holds the same rows.</returns>
    public static Task<string> OfAsync(PostgresNode node, string table, CancellationToken ct) =>
        OfAsync(node.Endpoint, table, ct);

    /// <summary>The same on any server seen from the host (an HA member, HAProxy's port).</summary>
    public static async Task<string> OfAsync(PgEndpoint node, string table, CancellationToken ct) =>
        await node.ScalarAsync<string>(
            $"""
            SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(h, '' ORDER BY h)), '-')
            FROM (SELECT md5(t::text) AS h FROM {table} t) rows
            """,
            ct) ?? throw new InvalidOperationException($"no checksum for {table} on {node}");
}
