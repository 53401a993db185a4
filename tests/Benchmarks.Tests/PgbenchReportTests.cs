namespace PostgresReplication.Benchmarks.Tests;

public sealed class PgbenchReportTests
{
    /// <summary>pgbench 15's summary of a rate-limited run (-R), as it prints it.</summary>
    private const string RateLimitedRun = """
        pgbench (15.10 (Debian 15.10-0+deb12u1))
        transaction type: <builtin: TPC-B (sort of)>
        scaling factor: 10
        query mode: simple
        number of clients: 4
        number of threads: 2
        maximum number of tries: 1
        duration: 20 s
        number of transactions actually processed: 3964
        number of failed transactions: 0 (0.000%)
        latency average = 6.1 ms
        latency stddev = 3.201 ms
        rate limit schedule lag: avg 0.512 (max 12.345) ms
        initial connection time = 8.417 ms
        tps = 198.2 (without initial connection time)
        """;

    [Fact]
    public void A_pgbench_15_summary_gives_tps_latency_and_transactions()
    {
        // Given
        var output = RateLimitedRun;

        // When
        var report = PgbenchReport.Parse(output);

        // Then
        Assert.Equal(new PgbenchReport(Tps: 198.2, LatencyAverageMs: 6.1, Transactions: 3964, FailedTransactions: 0), report);
    }

    [Fact]
    public void Full_precision_figures_are_read_whole()
    {
        // Given
        var output = """
            pgbench (15.10 (Debian 15.10-0+deb12u1))
            transaction type: <builtin: TPC-B (sort of)>
            scaling factor: 10
            query mode: simple
            number of clients: 4
            number of threads: 2
            maximum number of tries: 1
            number of transactions per client: 1000
            number of transactions actually processed: 4000/4000
            number of failed transactions: 0 (0.000%)
            latency average = 12.345 ms
            initial connection time = 10.002 ms
            tps = 324.018457 (without initial connection time)
            """;

        // When
        var report = PgbenchReport.Parse(output);

        // Then
        Assert.Equal(324.018457, report.Tps);
        Assert.Equal(12.345, report.LatencyAverageMs);
        Assert.Equal(4000, report.Transactions);
    }

    [Fact]
    public void Failed_transactions_are_counted()
    {
        // Given
        var output = RateLimitedRun.Replace(
            "number of failed transactions: 0 (0.000%)", "number of failed transactions: 17 (0.427%)", StringComparison.Ordinal);

        // When
        var report = PgbenchReport.Parse(output);

        // Then
        Assert.Equal(17, report.FailedTransactions);
    }

    [Fact]
    public void A_summary_without_a_failed_line_counts_no_failures()
    {
        // Given: pgbench before 15 printed no such line
        var output = RateLimitedRun.Replace("number of failed transactions: 0 (0.000%)\n", "", StringComparison.Ordinal);

        // When
        var report = PgbenchReport.Parse(output);

        // Then
        Assert.DoesNotContain("failed", output, StringComparison.Ordinal);
        Assert.Equal(0, report.FailedTransactions);
        Assert.Equal(198.2, report.Tps);
    }

    [Fact]
    public void Progress_lines_are_not_taken_for_the_closing_tps()
    {
        // Given: -P progress on stderr, merged before the summary
        var output = """
            progress: 5.0 s, 201.4 tps, lat 6.3 ms stddev 3.1, 0 failed, lag 0.5 ms
            progress: 10.0 s, 196.8 tps, lat 5.9 ms stddev 2.9, 0 failed, lag 0.4 ms
            """ + "\n" + RateLimitedRun;

        // When
        var report = PgbenchReport.Parse(output);

        // Then
        Assert.Equal(198.2, report.Tps);
        Assert.Equal(6.1, report.LatencyAverageMs);
    }

    [Fact]
    public void Windows_line_endings_are_read_alike()
    {
        // Given
        var output = RateLimitedRun.ReplaceLineEndings("\r\n");

        // When
        var report = PgbenchReport.Parse(output);

        // Then
        Assert.Equal(new PgbenchReport(198.2, 6.1, 3964, 0), report);
    }

    [Fact]
    public void An_aborted_run_without_a_summary_is_refused_naming_the_missing_figure()
    {
        // Given
        var output = """
            pgbench (15.10 (Debian 15.10-0+deb12u1))
            pgbench: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: Connection refused
            pgbench: error: could not create connection for initialization
            """;

        // When
        var refusal = Record.Exception(() => PgbenchReport.Parse(output));

        // Then
        var benchmark = Assert.IsType<BenchmarkException>(refusal);
        Assert.Contains("'tps'", benchmark.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", benchmark.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tps = 198.2 (without initial connection time)", "latency average")]
    [InlineData("latency average = 6.1 ms", "tps")]
    [InlineData("number of transactions actually processed: 3964", "tps")]
    public void A_summary_missing_a_figure_is_refused(string lineKept, string missing)
    {
        // Given: a garbled summary, every figure line but one dropped
        var output = string.Join('\n', RateLimitedRun.Split('\n').Where(line =>
            line == lineKept || !(line.StartsWith("tps", StringComparison.Ordinal)
                || line.StartsWith("latency average", StringComparison.Ordinal)
                || line.StartsWith("number of transactions actually", StringComparison.Ordinal))));

        // When
        var refusal = Record.Exception(() => PgbenchReport.Parse(output));

        // Then
        var benchmark = Assert.IsType<BenchmarkException>(refusal);
        Assert.Contains($"'{missing}'", benchmark.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_summary_without_the_processed_count_is_refused()
    {
        // Given
        var output = RateLimitedRun.Replace("number of transactions actually processed: 3964\n", "", StringComparison.Ordinal);

        // When
        var refusal = Record.Exception(() => PgbenchReport.Parse(output));

        // Then
        var benchmark = Assert.IsType<BenchmarkException>(refusal);
        Assert.Contains("'number of transactions actually processed'", benchmark.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Figures_not_at_the_start_of_a_line_are_not_read()
    {
        // Given: the figures quoted inside an error, not printed as a summary
        var output = "pgbench: error: unexpected 'tps = 198.2 (without initial connection time)' and 'latency average = 6.1 ms'";

        // When
        var refusal = Record.Exception(() => PgbenchReport.Parse(output));

        // Then
        Assert.IsType<BenchmarkException>(refusal);
    }

    [Fact]
    public void Empty_output_is_refused()
    {
        // Given
        var output = "";

        // When
        var refusal = Record.Exception(() => PgbenchReport.Parse(output));

        // Then
        var benchmark = Assert.IsType<BenchmarkException>(refusal);
        Assert.Contains("(no output)", benchmark.Message, StringComparison.Ordinal);
    }
}
