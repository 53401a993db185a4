/// <summary>The tutorial's test data: table replication_test and its row (1, 2, 'it works').</summary>
static class SeedData
{
    public const string Table = "replication_test";

    public static string Sql(int rows) =>
        $"""
        CREATE TABLE IF NOT EXISTS replication_test (a INT, b INT, c VARCHAR(255));
        INSERT INTO replication_test VALUES (1, 2, 'it works');
        INSERT INTO replication_test SELECT i, i + 1, 'row ' || i FROM generate_series(2, {Math.Max(rows, 1)}) AS i;
        """;
}
