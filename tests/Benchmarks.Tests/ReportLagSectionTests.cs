using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class ReportLagSectionTests
{
    [Fact]
    public void Each_commit_mode_has_its_own_table_of_its_own_runs()
    {
        // Given
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 1100),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Synchronous, 1, 300),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Synchronous, 1, 200),
        ]);

        // When
        var section = ReportLagSection.Render(lag);

        // Then
        var synchronous = section.IndexOf("### Synchronous (`synchronous_standby_names` = the standby, `synchronous_commit = on`)", StringComparison.Ordinal);
        var asynchronousRow = section.IndexOf("| replay lag p99 (B) | 1,100 | 1,100 | 1,000 | 1,000 | 1.10x |", StringComparison.Ordinal);
        var synchronousRow = section.IndexOf("| replay lag p99 (B) | 300 | 300 | 200 | 200 | 1.50x |", StringComparison.Ordinal);
        Assert.True(asynchronousRow > section.IndexOf("### Asynchronous", StringComparison.Ordinal) && asynchronousRow < synchronous, section);
        Assert.True(synchronousRow > synchronous, section);
    }

    [Fact]
    public void The_p99_of_every_run_is_listed_per_side()
    {
        // Given
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 1100),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 2, 4096),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 2, 900),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Synchronous, 1, 0),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Synchronous, 1, 0),
        ]);

        // When
        var section = ReportLagSection.Render(lag);

        // Then
        Assert.Contains(
            "p99 per run (B): container 1,100, 4,096 (min / median / max 1,100 / 1,100 / 4,096); native 1,000, 900 (900 / 900 / 1,000).",
            section, StringComparison.Ordinal);
        Assert.Contains("p99 per run (B): container 0 (min / median / max 0 / 0 / 0); native 0 (0 / 0 / 0).", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_lag_in_milliseconds_is_shown_when_every_run_has_it()
    {
        // Given
        var lag = HandMadeResults.Lag(1000, 1000);

        // When
        var section = ReportLagSection.Render(lag);

        // Then
        Assert.Contains("| replay_lag p50 (ms) | 1.50 | 1.50 | 1.50 | 1.50 | 1.00x |", section, StringComparison.Ordinal);
        Assert.Contains("| replay_lag p99 (ms) |", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_lag_in_milliseconds_is_left_out_when_a_run_had_none()
    {
        // Given: the server reported no replay_lag during one native run
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 1000, replayLagMs: null),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Synchronous, 1, 0),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Synchronous, 1, 0),
        ]);

        // When
        var section = ReportLagSection.Render(lag);

        // Then
        var asynchronous = section[..section.IndexOf("### Synchronous", StringComparison.Ordinal)];
        var synchronous = section[section.IndexOf("### Synchronous", StringComparison.Ordinal)..];
        Assert.DoesNotContain("replay_lag p50", asynchronous, StringComparison.Ordinal);
        Assert.Contains("replay_lag p50", synchronous, StringComparison.Ordinal);
    }

    [Fact]
    public void The_section_describes_the_load_and_points_at_the_plot()
    {
        // Given
        var lag = HandMadeResults.Lag(1000, 1000);

        // When
        var section = ReportLagSection.Render(lag);

        // Then
        Assert.Contains("`pgbench -c 4 -R 200 -T 20` (TPC-B-like, scale 10)", section, StringComparison.Ordinal);
        Assert.Contains("read every 100 ms", section, StringComparison.Ordinal);
        Assert.Contains("(replication-lag.png)", section, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pooled_percentiles_take_every_reading_of_every_run_of_a_side()
    {
        // Given: 10 readings per run; the container's second run at 4,096 B makes half its readings
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 2, 4096),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 2, 1000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Synchronous, 1, 0),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Synchronous, 1, 0),
        ]);

        // When
        var section = ReportLagSection.Render(lag);

        // Then
        Assert.Contains("| replay lag p50 (B), all runs pooled | 1,000 | 1,000 | 1.00x |", section, StringComparison.Ordinal);
        Assert.Contains("| replay lag p99 (B), all runs pooled | 4,096 | 1,000 | 4.10x |", section, StringComparison.Ordinal);
        Assert.Contains("| readings | 20 | 20 |  |", section, StringComparison.Ordinal);
    }
}
