using System.Globalization;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Issue 19's bars. The failover times are judged on every timing but Patroni's defaults, which
/// are the reference (their 30 s lease cannot meet a bar set on the store's minimum); lost rows,
/// false failovers and two writable members on every timing.
/// </summary>
public static class HaBars
{
    /// <summary>A killed container's median: the store's minimum lease (Patroni's minimum ttl) plus this.</summary>
    public const double ContainerMedianMarginSeconds = 2;

    public const double ContainerMaxSeconds = 25;

    /// <summary>PostgreSQL alone killed, or a clean stop: every trial within this.</summary>
    public const double HandOverMaxSeconds = 5;

    public static double ContainerMedianSeconds => PatroniTiming.MinimumTtlSeconds + ContainerMedianMarginSeconds;

    public static IReadOnlyList<ThresholdVerdict> Judge(HaBenchmarkResults results)
    {
        List<ThresholdVerdict> verdicts = [];
        foreach (var t in results.Timings)
        {
            var name = t.Timing.Name;
            if (t.Timing != PatroniTiming.PatroniDefaults)
            {
                if (t.FirstWrite(HaLoss.ContainerKilled) is { } killed)
                {
                    verdicts.Add(new ThresholdVerdict(
                        $"Container killed, {name}: median", $"≤ {S(ContainerMedianSeconds)} (minimum lease + {S(ContainerMedianMarginSeconds)})",
                        S(killed.Median), killed.Median <= ContainerMedianSeconds));
                    verdicts.Add(new ThresholdVerdict(
                        $"Container killed, {name}: max", $"≤ {S(ContainerMaxSeconds)}", S(killed.Max), killed.Max <= ContainerMaxSeconds));
                }

                foreach (var loss in new[] { HaLoss.PostgresKilled, HaLoss.CleanStop })
                {
                    if (t.FirstWrite(loss) is { } handOver)
                    {
                        verdicts.Add(new ThresholdVerdict(
                            $"{Capitalised(HaLossTrial.Describe(loss))}, {name}: every trial", $"≤ {S(HandOverMaxSeconds)}",
                            $"max {S(handOver.Max)} (median {S(handOver.Median)})", handOver.Max <= HandOverMaxSeconds));
                    }
                }
            }

            verdicts.Add(new ThresholdVerdict(
                $"False failovers under pgbench, {name}", "0",
                $"{t.Watch.FalseFailovers} ({t.Watch.LeaderChanges} leader change(s) seen, timeline {t.Watch.TimelineBefore} → {t.Watch.TimelineAfter})",
                t.Watch.FalseFailovers == 0));
            verdicts.Add(new ThresholdVerdict(
                $"Acknowledged rows lost, {name}", "0",
                $"{t.Rows.MissingAcknowledged.Count} of {t.Writes.Acknowledged.Count}", t.Rows.MissingAcknowledged.Count == 0));
            verdicts.Add(new ThresholdVerdict(
                $"Moments with two writable members under pgbench, {name}", "0",
                $"{t.Watch.SplitBrainMoments}", t.Watch.SplitBrainMoments == 0));
        }

        return verdicts;
    }

    internal static string S(double seconds) => $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s";

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
