using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>
/// A table's row count and a digest of all its rows, independent of their physical order: two
/// nodes with the same result hold the same rows, none lost or duplicated.
/// </summary>
internal static class TableChecksum
{
    public static async Task<string> OfAsync(PostgresNode node, string table, CancellationToken ct) =>
        await node.ScalarAsync<string>(
            $"""
            SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(h, '' ORDER BY h)), '-')
            FROM (SELECT md5(t::text) AS h FROM {table} t) rows
            """,
            ct) ?? throw new InvalidOperationException($"no checksum for {table} on {node.Name}");

    /// <summary>Checksums of several tables on one node, one line per table.</summary>
    public static async Task<string> OfAsync(PostgresNode node, IEnumerable<string> tables, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var table in tables)
        {
            lines.Add($"{table}: {await OfAsync(node, table, ct)}");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
