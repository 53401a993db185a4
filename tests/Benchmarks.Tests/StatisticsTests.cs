namespace PostgresReplication.Benchmarks.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void An_odd_count_has_the_middle_value_as_median_and_its_extremes_as_min_and_max()
    {
        // Given
        double[] values = [9, 1, 5, 3, 7];

        // When
        var summary = Statistics.Summarize(values);

        // Then
        Assert.Equal(5, summary.Count);
        Assert.Equal(1, summary.Min);
        Assert.Equal(5, summary.Median);
        Assert.Equal(5, summary.P50);
        Assert.Equal(9, summary.Max);
        Assert.Equal(5, summary.Mean);
    }

    [Fact]
    public void An_even_count_takes_the_lower_middle_value_as_median_not_an_average_never_seen()
    {
        // Given
        double[] values = [40, 10, 30, 20];

        // When
        var summary = Statistics.Summarize(values);

        // Then
        Assert.Equal(20, summary.Median);
        Assert.Equal(25, summary.Mean);
    }

    [Fact]
    public void Percentiles_of_one_to_a_hundred_are_their_own_rank()
    {
        // Given
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse();

        // When
        var summary = Statistics.Summarize(values);

        // Then
        Assert.Equal(50, summary.P50);
        Assert.Equal(95, summary.P95);
        Assert.Equal(99, summary.P99);
        Assert.Equal(100, summary.Max);
    }

    [Fact]
    public void Percentiles_of_twenty_values_round_the_rank_up()
    {
        // Given: rank of p95 is 0.95 * 20 = 19 exactly; rank of p99 is 19.8, so the 20th value
        var values = Enumerable.Range(1, 20).Select(i => i * 10.0);

        // When
        var summary = Statistics.Summarize(values);

        // Then
        Assert.Equal(100, summary.P50);
        Assert.Equal(190, summary.P95);
        Assert.Equal(200, summary.P99);
    }

    [Fact]
    public void A_few_values_give_their_largest_as_p95_and_p99()
    {
        // Given
        double[] values = [3, 1, 2];

        // When
        var summary = Statistics.Summarize(values);

        // Then
        Assert.Equal(2, summary.P50);
        Assert.Equal(3, summary.P95);
        Assert.Equal(3, summary.P99);
    }

    [Fact]
    public void A_single_sample_is_every_statistic()
    {
        // Given
        double[] values = [4.2];

        // When
        var summary = Statistics.Summarize(values);

        // Then
        Assert.Equal(new Summary(1, 4.2, 4.2, 4.2, 4.2, 4.2, 4.2), summary);
    }

    [Fact]
    public void An_empty_sample_set_is_refused_rather_than_reported_as_zero()
    {
        // Given
        double[] values = [];

        // When
        var refusal = Record.Exception(() => Statistics.Summarize(values));

        // Then
        var argument = Assert.IsType<ArgumentException>(refusal);
        Assert.Contains("No measurements", argument.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_NaN_measurement_is_refused()
    {
        // Given
        double[] values = [1, double.NaN, 3];

        // When
        var refusal = Record.Exception(() => Statistics.Summarize(values));

        // Then
        Assert.IsType<ArgumentException>(refusal);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(25, 10)]
    [InlineData(26, 20)]
    [InlineData(50, 20)]
    [InlineData(75, 30)]
    [InlineData(100, 40)]
    public void A_percentile_is_the_smallest_value_with_that_share_at_or_below_it(double percent, double expected)
    {
        // Given
        double[] sorted = [10, 20, 30, 40];

        // When
        var value = Statistics.Percentile(sorted, percent);

        // Then
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    public void A_percentile_outside_zero_to_a_hundred_is_refused(double percent)
    {
        // Given
        double[] sorted = [10, 20];

        // When
        var refusal = Record.Exception(() => Statistics.Percentile(sorted, percent));

        // Then
        Assert.IsType<ArgumentOutOfRangeException>(refusal);
    }

    [Fact]
    public void A_percentile_of_no_values_is_refused()
    {
        // Given
        double[] sorted = [];

        // When
        var refusal = Record.Exception(() => Statistics.Percentile(sorted, 50));

        // Then
        Assert.IsType<ArgumentException>(refusal);
    }

    [Fact]
    public void The_ratio_is_container_over_native()
    {
        // Given
        const double container = 3.0;
        const double native = 2.0;

        // When
        var ratio = Statistics.Ratio(container, native);

        // Then
        Assert.Equal(1.5, ratio);
    }

    [Fact]
    public void No_ratio_is_formed_against_a_native_zero()
    {
        // Given
        const double container = 3.0;
        const double native = 0.0;

        // When
        var ratio = Statistics.Ratio(container, native);

        // Then
        Assert.Null(ratio);
    }
}
