namespace PostgresReplication.Benchmarks;

/// <summary>One figure measured on both sides, repetition by repetition, with its summaries and ratios.</summary>
public sealed record Comparison(IReadOnlyList<double> Container, IReadOnlyList<double> Native)
{
    public Summary ContainerSummary => Statistics.Summarize(Container);

    public Summary NativeSummary => Statistics.Summarize(Native);

    /// <summary>Median over median: the figure a threshold is judged on.</summary>
    public double? MedianRatio => Statistics.Ratio(ContainerSummary.Median, NativeSummary.Median);

    public double? MinRatio => Statistics.Ratio(ContainerSummary.Min, NativeSummary.Min);

    /// <summary>
    /// One figure of each run, in the column of the run's side; <paramref name="containerSide"/> picks which
    /// container runs fill the first column (an explanation column such as <see cref="Sides.ContainerOnBridge"/>).
    /// </summary>
    public static Comparison Of<TRun>(
        IReadOnlyList<TRun> runs, Func<TRun, string> side, Func<TRun, double> figure, string containerSide = Sides.Container) => new(
        [.. runs.Where(r => side(r) == containerSide).Select(figure)],
        [.. runs.Where(r => side(r) == Sides.Native).Select(figure)]);
}
