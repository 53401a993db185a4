using System.Globalization;

namespace PostgresReplication.Benchmarks;

/// <summary>The bars of issue 21's scale figures, judged on medians (lag on pooled readings), container against native.</summary>
public static class ScaleThresholds
{
    /// <summary>Bootstrap throughput at the largest size, and catch-up replay throughput: at least this share of native.</summary>
    public const double MinShare = 0.9;

    /// <summary>Saturating writes: replay lag p99 (pooled) at most this many times native's.</summary>
    public const double SaturationLagP99MaxRatio = 1.2;

    /// <summary>Fan-out: the container/native lag ratio at the most standbys at most this many times the ratio at the fewest.</summary>
    public const double FanOutMaxGrowth = 1.1;

    public static IReadOnlyList<ThresholdVerdict> Judge(ScaleResults r)
    {
        var largest = r.Bootstrap.MaxBy(b => b.Scale)!;
        var bootstrap = largest.Throughput.MedianRatio;
        var catchUp = r.CatchUp.Throughput.MedianRatio;
        var tps = r.Saturation.Tps.MedianRatio;
        var lag = Statistics.Ratio(r.Saturation.Pooled(Sides.Container).P99, r.Saturation.Pooled(Sides.Native).P99);
        var counts = r.FanOut.Counts;
        var fewest = r.FanOut.PooledLagRatio(counts[0]);
        var most = r.FanOut.PooledLagRatio(counts[^1]);
        var growth = fewest is { } f && most is { } m && f > 0 ? m / f : (double?)null;
        return
        [
            new ThresholdVerdict(
                $"Bootstrap throughput at the largest size ({largest.NativeDataBytes / 1e9:0.0} GB)", $"≥ {MinShare:0%} of native",
                Share(bootstrap), bootstrap >= MinShare),
            new ThresholdVerdict("Catch-up replay throughput", $"≥ {MinShare:0%} of native", Share(catchUp), catchUp >= MinShare),
            new ThresholdVerdict("Saturating writes: primary TPS", $"≥ {MinShare:0%} of native", Share(tps), tps >= MinShare),
            new ThresholdVerdict(
                "Saturating writes: replay lag p99 (pooled)", $"≤ {Invariant(SaturationLagP99MaxRatio)}x native", Ratio(lag),
                lag <= SaturationLagP99MaxRatio),
            new ThresholdVerdict(
                $"Fan-out: lag p99 ratio at {counts[^1]} standbys over the ratio at {counts[0]}", $"≤ {Invariant(FanOutMaxGrowth)}",
                $"{Ratio(growth)} ({Ratio(most)} against {Ratio(fewest)})", growth <= FanOutMaxGrowth),
        ];
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Share(double? share) => share is { } s ? s.ToString("0%", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(double? ratio) => ratio is { } r ? $"{r.ToString("0.00", CultureInfo.InvariantCulture)}x" : "n/a";
}
