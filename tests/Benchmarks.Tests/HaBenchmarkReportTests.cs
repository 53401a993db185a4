using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class HaBenchmarkReportTests
{
    [Fact]
    public void The_report_shows_min_median_max_per_timing_and_kind_beside_Patroni_s_anchors()
    {
        // Given
        var results = HandMadeHa.Results();

        // When
        var md = HaBenchmarkReport.Render(results);

        // Then
        Assert.Contains(
            "| Patroni's defaults: ttl 30 / loop_wait 10 / retry_timeout 10 | container killed | 3 | 29.0 s | 30.0 s | 31.0 s | 28.3-30.1 s (ttl 30 / loop_wait 10 / retry_timeout 10) |",
            md, StringComparison.Ordinal);
        Assert.Contains(
            $"| {PatroniTiming.Recommended.Name}: ttl 20 / loop_wait 1 / retry_timeout 8 | clean stop | 3 | 1.5 s | 2.0 s | 2.5 s |  |",
            md, StringComparison.Ordinal);
        Assert.Contains("18.7-20.4 s", md, StringComparison.Ordinal);
        Assert.Contains("| load average (1, 5, 15 min) at end | 2.00 1.50 1.30 |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("**no**", md, StringComparison.Ordinal);
        Assert.Contains("> A short run (3 trial(s) per kind, pgbench 600 s)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_of_the_issue_s_length_is_not_called_short()
    {
        var results = HandMadeHa.Results() with { Setup = HandMadeHa.Results().Setup with { TrialsPerLoss = 10 } };

        var md = HaBenchmarkReport.Render(results);

        Assert.DoesNotContain("short run", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_pgbench_is_reported_in_one_cell()
    {
        // Given pgbench cut off by a failover, its error on several lines with a pipe
        var watch = HandMadeHa.Watch(leaderChanges: 1, timelineAfter: 4) with { Pgbench = null, PgbenchError = "pgbench exited with code 2:\nclient 0 aborted | connection lost" };
        var results = HandMadeHa.Results(HandMadeHa.Timing(PatroniTiming.Recommended, watch: watch));

        // When
        var md = HaBenchmarkReport.Render(results);

        // Then the table row stays one row, and the bar is not met
        Assert.Contains("| failed: pgbench exited with code 2: client 0 aborted / connection lost | 1 | 3 → 4 |", md, StringComparison.Ordinal);
        Assert.Contains("**no**", md, StringComparison.Ordinal);
    }
}
