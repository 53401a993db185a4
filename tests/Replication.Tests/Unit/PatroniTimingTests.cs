using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class PatroniTimingTests
{
    [Theory]
    [InlineData("defaults", "30", "10", "10")]
    [InlineData("recommended", "20", "1", "8")]
    public void A_timing_is_asked_for_by_the_HA_image_s_variables(string which, string ttl, string loopWait, string retryTimeout)
    {
        // Given
        var timing = which == "defaults" ? PatroniTiming.PatroniDefaults : PatroniTiming.Recommended;

        // When
        var environment = timing.MemberEnvironment();

        // Then
        Assert.Equal(
            new Dictionary<string, string?> { ["PATRONI_TTL"] = ttl, ["PATRONI_LOOP_WAIT"] = loopWait, ["PATRONI_RETRY_TIMEOUT"] = retryTimeout },
            environment);
    }

    [Fact]
    public void Both_timings_pass_the_image_s_rule_that_a_cut_off_leader_demotes_before_its_key_expires()
    {
        foreach (var timing in new[] { PatroniTiming.PatroniDefaults, PatroniTiming.Recommended })
        {
            Assert.True(timing.LoopWaitSeconds + (2 * timing.RetryTimeoutSeconds) <= timing.TtlSeconds, $"{timing}");
            Assert.True(timing.TtlSeconds >= PatroniTiming.MinimumTtlSeconds, $"{timing}");
        }
    }
}
