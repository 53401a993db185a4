using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class MarkdownReportTests
{
    private static readonly BenchmarkResults Results = HandMadeResults.Results(
        HandMadeResults.Cycle([2.5, 3.0, 3.5], [2.0, 2.0, 2.2]),
        HandMadeResults.Lag(1500, 1000),
        HandMadeResults.Bootstrap(90_000_000, 100_000_000),
        HandMadeResults.Image(350_000),
        HandMadeResults.Failover([1.1, 1.3, 1.2], [0.9, 1.0, 0.8]));

    [Fact]
    public void The_targets_table_lists_each_verdict_with_a_failed_one_in_bold()
    {
        // Given
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then
        Assert.Contains("| Cycle (primary start to verified row) | ≤ 1.5x native | 1.50x | yes |", report, StringComparison.Ordinal);
        Assert.Contains("| Async replay lag p99 (bytes, all runs' readings pooled) | ≤ 1.2x native at 200 tps | 1.50x (", report, StringComparison.Ordinal);
        Assert.Contains("| Standby bootstrap throughput | ≥ 90% of native | 90% | yes |", report, StringComparison.Ordinal);
        Assert.Contains("| Failover (kill to a writable primary) | ≤ 1.5x native | 1.33x | yes |", report, StringComparison.Ordinal);
        Assert.Contains("| Image layer size | < 1 MB | 350,000 B | yes |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_figure_table_has_the_ratio_column()
    {
        // Given
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then: cycle, asynchronous lag, synchronous lag, bootstrap, failover
        const string header = "| figure | container min | container median | native min | native median | ratio (median) |";
        Assert.Equal(5, report.Split(header).Length - 1);
    }

    [Fact]
    public void The_cycle_table_gives_min_median_and_the_median_ratio_of_each_side()
    {
        // Given
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then
        Assert.Contains("| **total (s)** | 2.50 | 3.00 | 2.00 | 2.00 | 1.50x |", report, StringComparison.Ordinal);
        Assert.Contains("| StartPrimary: accepting connections (s) | 2.50 | 3.00 | 2.00 | 2.00 | 1.50x |", report, StringComparison.Ordinal);
        Assert.Contains("Totals per run (s): container 2.50, 3.00, 3.50; native 2.00, 2.00, 2.20.", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_that_took_no_time_natively_has_no_ratio()
    {
        // Given: the hand-made runs spend nothing in Seed
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then
        Assert.Contains("| Seed (s) | 0.000 | 0.000 | 0.000 | 0.000 | n/a |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lag_bootstrap_and_image_tables_carry_their_figures()
    {
        // Given
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then
        Assert.Contains("| replay lag p99 (B) | 1,500 | 1,500 | 1,000 | 1,000 | 1.50x |", report, StringComparison.Ordinal);
        Assert.Contains("| pgbench tps | 198.2 | 198.2 | 198.2 | 198.2 | 1.00x |", report, StringComparison.Ordinal);
        Assert.Contains("| throughput (MB/s) | 90 | 90 | 100 | 100 | 0.90x |", report, StringComparison.Ordinal);
        Assert.Contains(
            "| `postgres-replication:15` | `postgres:15` | 425,350,000 | 425,000,000 | 350,000 | 3 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_says_when_where_and_how_often_it_was_measured()
    {
        // Given
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then
        Assert.Contains("on 2025-03-14 (09:26 UTC, 7.5 min)", report, StringComparison.Ordinal);
        // (the hand-made results hold three cycles, three failovers and one bootstrap per side)
        Assert.Contains(
            "The cycle was taken 3x and the failover 3x on each side after one untimed warm-up of each per side, every other figure 1x",
            report, StringComparison.Ordinal);
        Assert.Contains("| CPU | 2 cores (AMD EPYC 7763) |", report, StringComparison.Ordinal);
        Assert.Contains("| load average (1, 5, 15 min) at end | 0.90 0.80 0.75 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sections_come_targets_first_then_in_the_order_of_the_figures()
    {
        // Given
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then
        string[] headings = ["# Benchmarks", "## Targets", "## Machine", "## 1. Cycle", "## 2. Replication lag", "## 3. Standby bootstrap", "## 4. Failover", "## 5. Image"];
        var positions = headings.Select(h => report.IndexOf(h, StringComparison.Ordinal)).ToArray();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void The_failover_table_gives_medians_per_side_and_their_ratio()
    {
        // Given
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then: each rejoin comes one second after its write in the hand-made runs
        Assert.Contains("| promoted and written, once it was gone (s) | 1.10 | 1.20 | 0.80 | 0.90 | 1.33x |", report, StringComparison.Ordinal);
        Assert.Contains("| **failover: kill to a writable primary (s)** | 1.10 | 1.20 | 0.80 | 0.90 | 1.33x |", report, StringComparison.Ordinal);
        Assert.Contains("| rejoin: kill to every standby streaming again (s) | 2.10 | 2.20 | 1.80 | 1.90 | 1.16x |", report, StringComparison.Ordinal);
        Assert.Contains("Failover to a writable primary per run (s): container 1.10, 1.30, 1.20; native 0.90, 1.00, 0.80.", report, StringComparison.Ordinal);
        Assert.Contains("Median failover to a writable primary: container 1.20 s, native 0.90 s.", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_failover_section_says_detection_is_excluded_and_names_the_anchors()
    {
        // Given
        var results = Results;

        // When
        var report = MarkdownReport.Render(results);

        // Then
        var section = report[report.IndexOf("## 4. Failover", StringComparison.Ordinal)..report.IndexOf("## 5. Image", StringComparison.Ordinal)];
        Assert.Contains("These figures exclude detection", section, StringComparison.Ordinal);
        Assert.Contains("CloudNativePG documents failover in seconds", section, StringComparison.Ordinal);
        Assert.Contains("Patroni's default `ttl` is 30 s", section, StringComparison.Ordinal);
    }
}
