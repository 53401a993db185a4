namespace PostgresReplication.Benchmarks;

/// <summary>Order statistics of a set of measurements; percentiles by nearest rank (always a value that was seen).</summary>
public sealed record Summary(int Count, double Min, double P50, double P95, double P99, double Max, double Mean)
{
    public double Median => P50;
}

/// <summary>Pure helpers for the figures: summaries and ratios, unit-testable without a server.</summary>
public static class Statistics
{
    public static Summary Summarize(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No measurements to summarise.", nameof(values));
        }

        if (sorted.Any(double.IsNaN))
        {
            throw new ArgumentException("A measurement is NaN.", nameof(values));
        }

        return new Summary(
            sorted.Length,
            sorted[0],
            Percentile(sorted, 50),
            Percentile(sorted, 95),
            Percentile(sorted, 99),
            sorted[^1],
            sorted.Average());
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="percent"/>% of the values at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        if (percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile is between 0 and 100.");
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Container over native; null when the native figure is zero (no ratio can be formed).</summary>
    public static double? Ratio(double container, double native) => native == 0 ? null : container / native;
}
