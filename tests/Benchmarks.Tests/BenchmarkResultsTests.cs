using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class BenchmarkResultsTests
{
    [Fact]
    public void All_targets_are_met_when_every_verdict_is()
    {
        // Given
        var results = HandMadeResults.Results(
            HandMadeResults.Cycle(2.0, 2.0), HandMadeResults.Lag(1000, 1000), HandMadeResults.Bootstrap(100_000_000, 100_000_000), HandMadeResults.Image(0));

        // When
        var met = results.AllThresholdsMet;

        // Then
        Assert.True(met);
    }

    [Fact]
    public void One_missed_target_fails_the_run()
    {
        // Given: only the layer is too large
        var results = HandMadeResults.Results(
            HandMadeResults.Cycle(2.0, 2.0), HandMadeResults.Lag(1000, 1000), HandMadeResults.Bootstrap(100_000_000, 100_000_000), HandMadeResults.Image(1_000_000));

        // When
        var met = results.AllThresholdsMet;

        // Then
        Assert.False(met);
        Assert.Single(results.Verdicts, v => !v.Met);
    }

    [Fact]
    public void A_failover_slower_than_the_target_fails_the_run()
    {
        // Given: every other figure on target, the container's failover twice native's
        var results = HandMadeResults.Results(
            HandMadeResults.Cycle(2.0, 2.0), HandMadeResults.Lag(1000, 1000), HandMadeResults.Bootstrap(100_000_000, 100_000_000), HandMadeResults.Image(0),
            HandMadeResults.Failover(2.0, 1.0));

        // When
        var met = results.AllThresholdsMet;

        // Then
        Assert.False(met);
        Assert.Equal("Failover (kill to a writable primary)", Assert.Single(results.Verdicts, v => !v.Met).Figure);
    }
}
