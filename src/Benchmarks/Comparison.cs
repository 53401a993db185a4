namespace PostgresReplication.Benchmarks;

/// <summary>One figure measured on both sides, repetition by repetition, with its summaries and ratios.</summary>
public sealed record Comparison(IReadOnlyList<double> Container, IReadOnlyList<double> Native)
{
    public Summary ContainerSummary => Statistics.Summarize(Container);

    public Summary NativeSummary => Statistics.Summarize(Native);

    /// <summary>Median over median: the figure a threshold is judged on.</summary>
    public double? MedianRatio => Statistics.Ratio(ContainerSummary.Median, NativeSummary.Median);

    public double? MinRatio => Statistics.Ratio(ContainerSummary.Min, NativeSummary.Min);
}
