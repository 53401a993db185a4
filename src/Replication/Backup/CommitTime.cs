namespace PostgresReplication;

/// <summary>
/// When rows were committed, by the server's clock (the one recovery_target_time is compared
/// with), not the host's. Needs <c>track_commit_timestamp = on</c>.
/// </summary>
public static class CommitTime
{
    public const string Setting = "track_commit_timestamp";

    /// <summary>The commit time of the last transaction that wrote into <paramref name="table"/> (an SQL name, written into the query as given).</summary>
    public static async Task<DateTimeOffset> LatestAsync(PostgresNode node, string table, CancellationToken ct)
    {
        var time = await node.ScalarAsync<DateTime?>($"SELECT max(pg_xact_commit_timestamp(xmin)) FROM {table}", ct);
        return time is { } utc
            ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
            : throw new InvalidOperationException($"{node.Name} has no commit time for {table}: is {Setting} on?");
    }
}
