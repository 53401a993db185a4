namespace PostgresReplication.Benchmarks;

/// <summary>The tutorial's seed: its table and its one row, and the count both sides must agree on.</summary>
internal static class TutorialSeed
{
    public const string Sql = """
        CREATE TABLE replication_test (a INT, b INT, c VARCHAR(255));
        INSERT INTO replication_test VALUES (1, 2, 'it works');
        """;

    public const string CountSql = "SELECT count(*) FROM replication_test";

    public static void RequireSameCount(string side, string standby, long onPrimary, long onStandby)
    {
        if (onPrimary != onStandby || onPrimary == 0)
        {
            throw new BenchmarkException(
                $"{side}: {standby} has {onStandby} row(s) in replication_test after replaying the seed, the primary {onPrimary}.");
        }
    }
}
