using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class ThresholdsTests
{
    private static IReadOnlyList<ThresholdVerdict> Judge(
        CycleResult? cycle = null, LagResult? lag = null, BootstrapResult? bootstrap = null, FailoverResult? failover = null,
        ImageSizeResult? image = null) =>
        Thresholds.Judge(
            cycle ?? HandMadeResults.Cycle(2.0, 2.0),
            lag ?? HandMadeResults.Lag(1000, 1000),
            bootstrap ?? HandMadeResults.Bootstrap(100_000_000, 100_000_000),
            failover ?? HandMadeResults.Failover(1.0, 1.0),
            image ?? HandMadeResults.Image(0));

    private static ThresholdVerdict Verdict(IReadOnlyList<ThresholdVerdict> verdicts, string figure) =>
        Assert.Single(verdicts, v => v.Figure.StartsWith(figure, StringComparison.Ordinal));

    [Fact]
    public void Five_targets_are_judged_each_with_its_threshold()
    {
        // Given, When
        var verdicts = Judge();

        // Then
        Assert.Equal(
            [
                ("Cycle (primary start to verified row)", "≤ 1.5x native"),
                ("Async replay lag p99 (bytes, all runs' readings pooled)", "≤ 1.2x native at 200 tps"),
                ("Standby bootstrap throughput", "≥ 90% of native"),
                ("Failover (kill to a writable primary)", "≤ 1.5x native"),
                ("Image layer size", "< 1 MB"),
            ],
            verdicts.Select(v => (v.Figure, v.Threshold)));
        Assert.All(verdicts, v => Assert.True(v.Met, v.Figure));
    }

    [Theory]
    [InlineData(2.0, true, "1.00x")]
    [InlineData(3.0, true, "1.50x")]
    [InlineData(3.002, false, "1.50x")]
    [InlineData(4.0, false, "2.00x")]
    public void The_cycle_is_met_up_to_one_and_a_half_times_native(double containerSeconds, bool met, string measured)
    {
        // Given
        var cycle = HandMadeResults.Cycle(containerSeconds, 2.0);

        // When
        var verdict = Verdict(Judge(cycle: cycle), "Cycle");

        // Then
        Assert.Equal(met, verdict.Met);
        Assert.Equal(measured, verdict.Measured);
    }

    [Fact]
    public void The_cycle_is_judged_on_the_median_run_not_the_slowest()
    {
        // Given
        var cycle = HandMadeResults.Cycle([2.0, 3.0, 100.0], [2.0, 2.0, 2.0]);

        // When
        var verdict = Verdict(Judge(cycle: cycle), "Cycle");

        // Then
        Assert.True(verdict.Met);
        Assert.Equal("1.50x", verdict.Measured);
    }

    [Theory]
    [InlineData(800, true, "0.80x")]
    [InlineData(1200, true, "1.20x")]
    [InlineData(1201, false, "1.20x")]
    [InlineData(2500, false, "2.50x")]
    public void Async_lag_p99_is_met_up_to_one_point_two_times_native(long containerBytes, bool met, string measured)
    {
        // Given
        var lag = HandMadeResults.Lag(containerBytes, 1000);

        // When
        var verdict = Verdict(Judge(lag: lag), "Async replay lag");

        // Then
        Assert.Equal(met, verdict.Met);
        Assert.StartsWith(measured + " (", verdict.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Async_lag_is_judged_on_the_asynchronous_runs_only()
    {
        // Given: the synchronous runs alone would fail the target
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Synchronous, 1, 9000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Synchronous, 1, 1000),
        ]);

        // When
        var verdict = Verdict(Judge(lag: lag), "Async replay lag");

        // Then
        Assert.True(verdict.Met);
        Assert.Equal("1.00x (1,000 B against 1,000 B, 10 and 10 readings)", verdict.Measured);
    }

    [Fact]
    public void Async_lag_against_a_native_zero_is_met_only_when_the_container_is_zero_too()
    {
        // Given
        var bothZero = HandMadeResults.Lag(0, 0);
        var containerBehind = HandMadeResults.Lag(512, 0);

        // When
        var met = Verdict(Judge(lag: bothZero), "Async replay lag");
        var notMet = Verdict(Judge(lag: containerBehind), "Async replay lag");

        // Then
        Assert.True(met.Met);
        Assert.Equal("n/a (0 B against 0 B, 10 and 10 readings)", met.Measured);
        Assert.False(notMet.Met);
        Assert.Equal("n/a (512 B against 0 B, 10 and 10 readings)", notMet.Measured);
    }

    [Theory]
    [InlineData(100_000_000, true, "100%")]
    [InlineData(90_000_000, true, "90%")]
    [InlineData(89_000_000, false, "89%")]
    [InlineData(50_000_000, false, "50%")]
    public void Bootstrap_is_met_from_ninety_percent_of_native_throughput(long containerBytesPerSecond, bool met, string measured)
    {
        // Given: higher is better here, so the container may be faster without limit
        var bootstrap = HandMadeResults.Bootstrap(containerBytesPerSecond, 100_000_000);

        // When
        var verdict = Verdict(Judge(bootstrap: bootstrap), "Standby bootstrap");

        // Then
        Assert.Equal(met, verdict.Met);
        Assert.Equal(measured, verdict.Measured);
    }

    [Fact]
    public void Bootstrap_just_under_ninety_percent_is_not_met()
    {
        // Given
        var bootstrap = HandMadeResults.Bootstrap(89_999_999, 100_000_000);

        // When
        var verdict = Verdict(Judge(bootstrap: bootstrap), "Standby bootstrap");

        // Then
        Assert.False(verdict.Met);
    }

    [Fact]
    public void A_container_faster_than_native_meets_bootstrap_but_not_a_lower_is_better_target()
    {
        // Given: the container twice the native figure on both
        var bootstrap = HandMadeResults.Bootstrap(200_000_000, 100_000_000);
        var cycle = HandMadeResults.Cycle(4.0, 2.0);

        // When
        var verdicts = Judge(cycle: cycle, bootstrap: bootstrap);

        // Then
        Assert.True(Verdict(verdicts, "Standby bootstrap").Met);
        Assert.False(Verdict(verdicts, "Cycle").Met);
    }

    [Theory]
    [InlineData(0.8, true, "0.80x")]
    [InlineData(1.5, true, "1.50x")]
    [InlineData(1.502, false, "1.50x")]
    [InlineData(3.0, false, "3.00x")]
    public void The_failover_is_met_up_to_one_and_a_half_times_native(double containerSeconds, bool met, string measured)
    {
        // Given
        var failover = HandMadeResults.Failover(containerSeconds, 1.0);

        // When
        var verdict = Verdict(Judge(failover: failover), "Failover");

        // Then
        Assert.Equal(met, verdict.Met);
        Assert.Equal(measured, verdict.Measured);
    }

    [Fact]
    public void The_failover_is_judged_on_the_median_time_to_a_writable_primary_not_on_the_rejoin()
    {
        // Given: one slow container failover, and a rejoin far slower than native on every run
        var failover = new FailoverResult(
        [
            new FailoverRun(Sides.Container, 1, TimeSpan.Zero, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(30)),
            new FailoverRun(Sides.Container, 2, TimeSpan.Zero, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(30)),
            new FailoverRun(Sides.Container, 3, TimeSpan.Zero, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90)),
            new FailoverRun(Sides.Native, 1, TimeSpan.Zero, TimeSpan.FromSeconds(1.0), TimeSpan.FromSeconds(2)),
            new FailoverRun(Sides.Native, 2, TimeSpan.Zero, TimeSpan.FromSeconds(1.0), TimeSpan.FromSeconds(2)),
            new FailoverRun(Sides.Native, 3, TimeSpan.Zero, TimeSpan.FromSeconds(1.0), TimeSpan.FromSeconds(2)),
        ]);

        // When
        var verdict = Verdict(Judge(failover: failover), "Failover");

        // Then
        Assert.True(verdict.Met);
        Assert.Equal("1.40x", verdict.Measured);
    }

    [Theory]
    [InlineData(0, true, "0 B")]
    [InlineData(999_999, true, "999,999 B")]
    [InlineData(1_000_000, false, "1,000,000 B")]
    [InlineData(7_340_032, false, "7,340,032 B")]
    public void The_layer_is_met_under_one_megabyte(long layerBytes, bool met, string measured)
    {
        // Given
        var image = HandMadeResults.Image(layerBytes);

        // When
        var verdict = Verdict(Judge(image: image), "Image layer");

        // Then
        Assert.Equal(met, verdict.Met);
        Assert.Equal(measured, verdict.Measured);
    }

    [Fact]
    public void Async_lag_is_judged_on_every_reading_pooled_not_on_the_median_of_per_run_p99()
    {
        // Given: per run, the container's p99 values (1000, 1000, 5000) have the median 1000, as native's;
        // pooled, a fifth of the container's readings sit at 5000, so its p99 is 5000.
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 2, 1000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 3, 5000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 1000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 2, 1000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 3, 1000),
        ]);

        // When
        var verdict = Verdict(Judge(lag: lag), "Async replay lag");

        // Then
        Assert.Equal(1.0, lag.Figure(CommitMode.Asynchronous, r => r.Bytes.P99).MedianRatio);
        Assert.False(verdict.Met);
        Assert.Equal("5.00x (5,000 B against 1,000 B, 30 and 30 readings)", verdict.Measured);
    }
}
