using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class LagResultTests
{
    private static LagRun Run(params (long? Bytes, double? ReplayLagMs)[] readings) => new(
        Sides.Container, CommitMode.Asynchronous, 1, HandMadeResults.Pgbench,
        [.. readings.Select((r, i) => new LagSample(TimeSpan.FromMilliseconds(100 * i), r.Bytes, r.ReplayLagMs))]);

    [Fact]
    public void Failed_readings_are_left_out_of_the_lag_not_counted_as_zero()
    {
        // Given
        var run = Run((4000, 2.0), (null, null), (null, null), (2000, 1.0), (6000, 3.0));

        // When
        var bytes = run.Bytes;

        // Then
        Assert.Equal(3, bytes.Count);
        Assert.Equal(2000, bytes.Min);
        Assert.Equal(4000, bytes.Median);
    }

    [Fact]
    public void A_run_whose_every_reading_failed_is_refused()
    {
        // Given
        var run = Run((null, null), (null, null));

        // When
        var refusal = Record.Exception(() => run.Bytes);

        // Then
        Assert.IsType<ArgumentException>(refusal);
    }

    [Fact]
    public void Replay_lag_in_milliseconds_is_summarised_over_the_readings_that_had_one()
    {
        // Given
        var run = Run((4000, null), (2000, 1.0), (6000, 3.0));

        // When
        var replayLag = run.ReplayLagMs;

        // Then
        Assert.NotNull(replayLag);
        Assert.Equal(2, replayLag.Count);
        Assert.Equal(3.0, replayLag.Max);
    }

    [Fact]
    public void Replay_lag_in_milliseconds_is_absent_when_the_server_reported_none()
    {
        // Given
        var run = Run((4000, null), (2000, null));

        // When
        var replayLag = run.ReplayLagMs;

        // Then
        Assert.Null(replayLag);
    }

    [Fact]
    public void A_figure_takes_one_value_per_run_of_that_mode_on_each_side()
    {
        // Given
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 10),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 20),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 2, 21),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Synchronous, 1, 30),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Synchronous, 1, 40),
        ]);

        // When
        var figure = lag.Figure(CommitMode.Asynchronous, r => r.Bytes.P99);

        // Then
        Assert.Equal([10.0], figure.Container);
        Assert.Equal([20.0, 21.0], figure.Native);
    }

    [Fact]
    public void The_representative_run_is_the_one_with_the_median_p99()
    {
        // Given
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 9000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 2, 1000),
            HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 3, 5000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 3000),
        ]);

        // When
        var representative = lag.Representative(Sides.Container, CommitMode.Asynchronous);

        // Then
        Assert.Equal(3, representative.Repetition);
    }

    [Fact]
    public void Of_two_runs_the_representative_is_the_lower_one()
    {
        // Given
        var lag = HandMadeResults.Lag(
        [
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 1, 9000),
            HandMadeResults.LagRun(Sides.Native, CommitMode.Asynchronous, 2, 1000),
        ]);

        // When
        var representative = lag.Representative(Sides.Native, CommitMode.Asynchronous);

        // Then
        Assert.Equal(2, representative.Repetition);
    }

    [Fact]
    public void A_side_without_runs_has_no_representative()
    {
        // Given
        var lag = HandMadeResults.Lag([HandMadeResults.LagRun(Sides.Container, CommitMode.Asynchronous, 1, 1000)]);

        // When
        var refusal = Record.Exception(() => lag.Representative(Sides.Native, CommitMode.Asynchronous));

        // Then
        Assert.IsType<InvalidOperationException>(refusal);
    }

    [Fact]
    public void The_pool_of_a_side_holds_the_readings_of_all_its_runs_of_that_mode_and_no_failed_one()
    {
        // Given
        LagRun On(string side, CommitMode mode, params long?[] bytes) => new(
            side, mode, 1, HandMadeResults.Pgbench, [.. bytes.Select((b, i) => new LagSample(TimeSpan.FromMilliseconds(25 * i), b, null))]);
        var lag = HandMadeResults.Lag(
        [
            On(Sides.Container, CommitMode.Asynchronous, 100, 200, null),
            On(Sides.Container, CommitMode.Asynchronous, 300, 400),
            On(Sides.Container, CommitMode.Synchronous, 9000),
            On(Sides.Native, CommitMode.Asynchronous, 50),
        ]);

        // When
        var pooled = lag.Pooled(Sides.Container, CommitMode.Asynchronous);

        // Then
        Assert.Equal(4, pooled.Count);
        Assert.Equal(100, pooled.Min);
        Assert.Equal(200, pooled.P50);
        Assert.Equal(400, pooled.Max);
    }

    [Fact]
    public void One_run_with_a_rare_spike_moves_the_pooled_p99_less_than_the_per_run_median_can_flip()
    {
        // Given: three runs of 100 readings each; one run has 2 readings at 8,192 B (2% of it, 0.67% of the pool)
        LagRun Run(int repetition, int spikes) => new(
            Sides.Container, CommitMode.Asynchronous, repetition, HandMadeResults.Pgbench,
            [.. Enumerable.Range(0, 100).Select(i => new LagSample(TimeSpan.FromMilliseconds(25 * i), i < spikes ? 8192 : 1000, null))]);
        var lag = HandMadeResults.Lag([Run(1, 0), Run(2, 2), Run(3, 0)]);

        // When
        var pooled = lag.Pooled(Sides.Container, CommitMode.Asynchronous);
        var perRun = lag.Of(Sides.Container, CommitMode.Asynchronous).Select(r => r.Bytes.P99).ToList();

        // Then: the spiky run's own p99 is the spike, the pooled p99 is not
        Assert.Equal([1000.0, 8192.0, 1000.0], perRun);
        Assert.Equal(300, pooled.Count);
        Assert.Equal(1000, pooled.P99);
    }

    [Fact]
    public void A_pooled_ratio_of_a_native_zero_is_absent_not_infinite()
    {
        // Given
        var lag = HandMadeResults.Lag(512, 0);

        // When
        var p99 = lag.PooledRatio(CommitMode.Asynchronous, s => s.P99);

        // Then
        Assert.Null(p99.Ratio);
        Assert.Equal(512, p99.Container);
        Assert.Equal(0, p99.Native);
    }
}
