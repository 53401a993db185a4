using System.Globalization;

namespace PostgresReplication;

/// <summary>
/// Patroni's timing: the leader key's lifetime (ttl, the store's lease), the loop's pause and the
/// store's retries, in whole seconds, as the HA image's PATRONI_TTL, PATRONI_LOOP_WAIT and
/// PATRONI_RETRY_TIMEOUT take them (written to the store at the cluster's first start).
/// </summary>
public sealed record PatroniTiming(string Name, int TtlSeconds, int LoopWaitSeconds, int RetryTimeoutSeconds)
{
    /// <summary>Patroni's own defaults, what a configuration that says nothing gets.</summary>
    public static readonly PatroniTiming PatroniDefaults = new("Patroni's defaults", 30, 10, 10);

    /// <summary>The HA image's defaults (docker/ha/lib/patroni-environment.sh): Patroni's minimum ttl, a 1 s loop (a crashed PostgreSQL is seen and restarted within a second).</summary>
    public static readonly PatroniTiming Recommended = new("recommended (the HA image's defaults)", 20, 1, 8);

    /// <summary>Patroni raises a smaller ttl to this by itself: the shortest lease the store is given.</summary>
    public const int MinimumTtlSeconds = 20;

    public TimeSpan Ttl => TimeSpan.FromSeconds(TtlSeconds);

    /// <summary>The members' environment that asks for this timing (for <see cref="HaClusterOptions.MemberEnvironment"/>).</summary>
    public IReadOnlyDictionary<string, string?> MemberEnvironment() => new Dictionary<string, string?>
    {
        ["PATRONI_TTL"] = Invariant(TtlSeconds),
        ["PATRONI_LOOP_WAIT"] = Invariant(LoopWaitSeconds),
        ["PATRONI_RETRY_TIMEOUT"] = Invariant(RetryTimeoutSeconds),
    };

    public override string ToString() => $"ttl {TtlSeconds} / loop_wait {LoopWaitSeconds} / retry_timeout {RetryTimeoutSeconds}";

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
