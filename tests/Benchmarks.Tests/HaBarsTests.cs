using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class HaBarsTests
{
    private static ThresholdVerdict Verdict(IReadOnlyList<ThresholdVerdict> verdicts, string figure) =>
        Assert.Single(verdicts, v => v.Figure == figure);

    private static string Recommended => PatroniTiming.Recommended.Name;

    [Fact]
    public void Failover_times_are_judged_on_the_recommended_timing_and_not_on_Patroni_s_defaults()
    {
        // Given Patroni's defaults at 30 s, far above the bar, and the recommended timing within it
        var results = HandMadeHa.Results();

        // When
        var verdicts = HaBars.Judge(results);

        // Then only the recommended timing's failover times are judged, and all bars are met
        Assert.All(verdicts, v => Assert.True(v.Met, $"{v.Figure}: {v.Measured}"));
        Assert.Equal("≤ 22.0 s (minimum lease + 2.0 s)", Verdict(verdicts, $"Container killed, {Recommended}: median").Threshold);
        Assert.DoesNotContain(verdicts, v => v.Figure.StartsWith("Container killed, Patroni's defaults", StringComparison.Ordinal));
        Assert.Contains(verdicts, v => v.Figure == $"False failovers under pgbench, {PatroniTiming.PatroniDefaults.Name}");
    }

    [Fact]
    public void A_killed_container_is_judged_on_its_median_and_on_its_max()
    {
        // Given a median of 22.5 s and a max of 26 s
        var results = HandMadeHa.Results(HandMadeHa.Timing(PatroniTiming.Recommended, killed: [20.0, 22.5, 26.0]));

        // When
        var verdicts = HaBars.Judge(results);

        // Then both bars fail and say what was measured
        var median = Verdict(verdicts, $"Container killed, {Recommended}: median");
        Assert.False(median.Met);
        Assert.Equal("22.5 s", median.Measured);
        Assert.False(Verdict(verdicts, $"Container killed, {Recommended}: max").Met);
    }

    [Fact]
    public void A_hand_over_is_judged_on_every_trial_not_on_the_median()
    {
        // Given a clean stop with a good median and one trial of 5.2 s
        var results = HandMadeHa.Results(HandMadeHa.Timing(PatroniTiming.Recommended, stop: [1.0, 1.2, 5.2]));

        // When
        var verdict = Verdict(HaBars.Judge(results), $"Clean stop, {Recommended}: every trial");

        // Then
        Assert.False(verdict.Met);
        Assert.Equal("max 5.2 s (median 1.2 s)", verdict.Measured);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(0, 4)]
    public void A_leader_change_or_a_promotion_under_pgbench_is_a_false_failover(int leaderChanges, long timelineAfter)
    {
        // Given a change seen by the sampler, or only a new timeline (a promotion between two samples)
        var results = HandMadeHa.Results(
            HandMadeHa.Timing(PatroniTiming.Recommended, watch: HandMadeHa.Watch(leaderChanges, timelineAfter)));

        // When
        var verdict = Verdict(HaBars.Judge(results), $"False failovers under pgbench, {Recommended}");

        // Then
        Assert.False(verdict.Met);
        Assert.StartsWith("1 ", verdict.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lost_acknowledged_row_fails_its_bar()
    {
        var results = HandMadeHa.Results(HandMadeHa.Timing(PatroniTiming.Recommended, missing: [42]));

        var verdict = Verdict(HaBars.Judge(results), $"Acknowledged rows lost, {Recommended}");

        Assert.False(verdict.Met);
        Assert.Equal("1 of 100", verdict.Measured);
    }
}
