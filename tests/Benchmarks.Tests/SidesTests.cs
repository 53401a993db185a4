namespace PostgresReplication.Benchmarks.Tests;

public sealed class SidesTests
{
    [Theory]
    [InlineData(0, new[] { Sides.Container, Sides.Native })]
    [InlineData(1, new[] { Sides.Native, Sides.Container })]
    [InlineData(2, new[] { Sides.Container, Sides.Native })]
    [InlineData(3, new[] { Sides.Native, Sides.Container })]
    public void Sides_alternate_which_runs_first_per_repetition(int repetition, string[] expected)
    {
        // Given, When
        var order = Sides.InOrder(repetition);

        // Then
        Assert.Equal(expected, order);
    }
}
