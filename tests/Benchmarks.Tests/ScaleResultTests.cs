using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class ScaleResultTests
{
    [Fact]
    public void The_cpu_ticks_of_a_process_are_its_user_and_system_time()
    {
        // Given: fields 14 (utime) and 15 (stime) are 120 and 35
        var line = "777 (postgres) S 700 700 700 0 -1 4194624 500 0 0 0 120 35 0 0 20 0 1 0 4242 226000000 3000 18446744073709551615";

        // When
        var stat = ProcessTree.Parse(line);

        // Then
        Assert.NotNull(stat);
        Assert.Equal(155, stat.CpuTicks);
        Assert.Equal(700, stat.ParentPid);
    }

    [Fact]
    public void Wal_sender_cpu_is_the_difference_of_two_snapshots_with_a_new_sender_counted_whole()
    {
        // Given: sender 10 ran 50 ticks during the load, sender 11 started during it and ran 30, sender 12 ended
        var before = new Dictionary<int, long> { [10] = 100, [12] = 400 };
        var after = new Dictionary<int, long> { [10] = 150, [11] = 30 };

        // When
        var seconds = WalSenderCpu.Seconds(before, after);

        // Then
        Assert.Equal(0.8, seconds, precision: 6);
    }

    [Fact]
    public void A_catch_up_throughput_is_the_wal_over_the_time_to_replay_it()
    {
        // Given, When
        var run = new CatchUpRun(Sides.Container, 1, 2_000_000_000, TimeSpan.FromSeconds(8));

        // Then
        Assert.Equal(250, run.MegabytesPerSecond, precision: 6);
    }

    [Fact]
    public void Fan_out_pools_the_readings_of_every_standby_and_lists_each_standbys_own_p99()
    {
        // Given
        var run = HandMadeScale.FanOutRun(Sides.Container, 2, 1, ("standby_1", 1000), ("standby_2", 3000));

        // When
        var pooled = run.PooledLag;
        var perStandby = run.StandbyP99;

        // Then
        Assert.Equal(20, pooled.Count);
        Assert.Equal(3000, pooled.P99);
        Assert.Equal([1000.0, 3000.0], perStandby);
    }

    [Theory]
    [InlineData(1100, 2200, true)]
    [InlineData(1100, 2420, true)]
    [InlineData(1100, 2500, false)]
    public void The_fan_out_bar_is_met_while_the_lag_ratio_at_the_most_standbys_grows_by_at_most_a_tenth(
        long containerAtOne, long containerAtEight, bool met)
    {
        // Given: native lag 1000 B at 1 standby and 2000 B at 8, so the ratios are containerAtOne/1000 and containerAtEight/2000
        var results = HandMadeScale.Results(fanOut: new FanOutResult(
        [
            HandMadeScale.FanOutRun(Sides.Container, 1, 1, ("standby_1", containerAtOne)),
            HandMadeScale.FanOutRun(Sides.Native, 1, 1, ("standby_1", 1000)),
            HandMadeScale.FanOutRun(Sides.Container, 8, 1, ("standby_1", containerAtEight)),
            HandMadeScale.FanOutRun(Sides.Native, 8, 1, ("standby_1", 2000)),
        ], Rate: 200, Duration: TimeSpan.FromSeconds(30)));

        // When
        var verdict = ScaleThresholds.Judge(results).Single(v => v.Figure.StartsWith("Fan-out", StringComparison.Ordinal));

        // Then
        Assert.Equal(met, verdict.Met);
        Assert.Equal("Fan-out: lag p99 ratio at 8 standbys over the ratio at 1", verdict.Figure);
    }

    [Fact]
    public void Every_scale_bar_is_judged_and_bootstrap_only_at_the_largest_size()
    {
        // Given: at 1 GB the container is at half of native, at 10 GB at 95%
        var results = HandMadeScale.Results(bootstrap:
        [
            HandMadeScale.Bootstrap(68, 50_000_000, 100_000_000),
            HandMadeScale.Bootstrap(680, 95_000_000, 100_000_000),
        ]);

        // When
        var verdicts = ScaleThresholds.Judge(results);

        // Then
        Assert.Equal(5, verdicts.Count);
        var bootstrap = verdicts[0];
        Assert.StartsWith("Bootstrap throughput at the largest size", bootstrap.Figure, StringComparison.Ordinal);
        Assert.Equal("95%", bootstrap.Measured);
        Assert.True(bootstrap.Met);
    }

    [Fact]
    public void Saturation_is_judged_on_tps_and_on_the_pooled_lag_p99()
    {
        // Given: container TPS at 80% of native, lag p99 at 1.5x native
        var saturation = new SaturationResult(
        [
            HandMadeScale.SaturationRun(Sides.Container, 1, tps: 800, lagBytes: 1500),
            HandMadeScale.SaturationRun(Sides.Native, 1, tps: 1000, lagBytes: 1000),
        ], Clients: 8, Duration: TimeSpan.FromSeconds(60));
        var results = HandMadeScale.Results(saturation: saturation);

        // When
        var verdicts = ScaleThresholds.Judge(results);

        // Then
        var tps = verdicts.Single(v => v.Figure == "Saturating writes: primary TPS");
        var lag = verdicts.Single(v => v.Figure == "Saturating writes: replay lag p99 (pooled)");
        Assert.False(tps.Met);
        Assert.Equal("80%", tps.Measured);
        Assert.False(lag.Met);
        Assert.Equal("1.50x", lag.Measured);
    }

    [Fact]
    public void The_scale_report_states_the_load_and_min_median_max_per_side()
    {
        // Given
        var results = HandMadeScale.Results(catchUp: new CatchUpResult(
        [
            new CatchUpRun(Sides.Container, 1, 2_000_000_000, TimeSpan.FromSeconds(10)),
            new CatchUpRun(Sides.Container, 2, 2_000_000_000, TimeSpan.FromSeconds(12)),
            new CatchUpRun(Sides.Container, 3, 2_000_000_000, TimeSpan.FromSeconds(20)),
            new CatchUpRun(Sides.Native, 1, 2_000_000_000, TimeSpan.FromSeconds(10)),
            new CatchUpRun(Sides.Native, 2, 2_000_000_000, TimeSpan.FromSeconds(10)),
            new CatchUpRun(Sides.Native, 3, 2_000_000_000, TimeSpan.FromSeconds(10)),
        ]));

        // When
        var report = ScaleReport.Render(results);

        // Then
        Assert.Contains("Load average (1, 5, 15 min) 0.52 0.61 0.70 at the start and 3.10 2.90 2.50 at the end", report, StringComparison.Ordinal);
        Assert.Contains("| start to replayed (s) | 10.00 / 12.00 / 20.00 | 10.00 / 10.00 / 10.00 | 1.20x |", report, StringComparison.Ordinal);
        Assert.Contains("| Catch-up replay throughput | ≥ 90% of native | 83% | **no** |", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Scale_options_refuse_a_size_that_is_not_positive(int scale)
    {
        // Given
        var options = new ScaleOptions { BootstrapScales = [68, scale] };

        // When
        var refusal = Record.Exception(options.Validate);

        // Then
        Assert.Contains("ScaleBootstrapScales", Assert.IsType<ArgumentException>(refusal).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tiny_scale_run_is_valid()
    {
        // Given: what proves the code in minutes
        var options = new ScaleOptions
        {
            BootstrapScales = [5], CatchUpWalMegabytes = 50, SaturationDuration = TimeSpan.FromSeconds(10),
            FanOutStandbys = [1, 2], FanOutDuration = TimeSpan.FromSeconds(10), Rounds = 1,
        };

        // When, Then
        options.Validate();
    }
}
