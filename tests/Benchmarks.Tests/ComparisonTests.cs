namespace PostgresReplication.Benchmarks.Tests;

public sealed class ComparisonTests
{
    [Fact]
    public void Each_side_is_summarised_over_its_own_repetitions()
    {
        // Given
        var comparison = new Comparison(Container: [10, 2, 3], Native: [1, 9, 2]);

        // When
        var container = comparison.ContainerSummary;
        var native = comparison.NativeSummary;

        // Then
        Assert.Equal((2, 3, 10), (container.Min, container.Median, container.Max));
        Assert.Equal((1, 2, 9), (native.Min, native.Median, native.Max));
    }

    [Fact]
    public void The_median_ratio_divides_the_medians_not_the_means()
    {
        // Given: means are 5 and 4, medians 3 and 2
        var comparison = new Comparison(Container: [10, 2, 3], Native: [1, 9, 2]);

        // When
        var ratio = comparison.MedianRatio;

        // Then
        Assert.Equal(1.5, ratio);
    }

    [Fact]
    public void The_min_ratio_divides_the_minimums()
    {
        // Given
        var comparison = new Comparison(Container: [10, 2, 3], Native: [1, 9, 2]);

        // When
        var ratio = comparison.MinRatio;

        // Then
        Assert.Equal(2.0, ratio);
    }

    [Fact]
    public void A_native_median_of_zero_gives_no_ratio()
    {
        // Given
        var comparison = new Comparison(Container: [5, 6, 7], Native: [0, 0, 4]);

        // When
        var ratio = comparison.MedianRatio;

        // Then
        Assert.Null(ratio);
    }

    [Fact]
    public void A_side_without_measurements_is_refused_rather_than_compared_as_zero()
    {
        // Given
        var comparison = new Comparison(Container: [1.0, 2.0], Native: []);

        // When
        var refusal = Record.Exception(() => comparison.MedianRatio);

        // Then
        Assert.IsType<ArgumentException>(refusal);
    }
}
