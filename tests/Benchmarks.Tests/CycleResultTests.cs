namespace PostgresReplication.Benchmarks.Tests;

public sealed class CycleResultTests
{
    [Fact]
    public void A_cycle_total_is_the_sum_of_its_steps()
    {
        // Given
        var run = new CycleRun(
            Sides.Container, 1, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(2.5), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(260));

        // When
        var total = run.Total;

        // Then
        Assert.Equal(TimeSpan.FromSeconds(4), total);
    }

    [Fact]
    public void A_step_is_compared_in_seconds_side_by_side()
    {
        // Given
        var result = new CycleResult(
        [
            new CycleRun(Sides.Container, 1, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), TimeSpan.Zero, TimeSpan.Zero),
            new CycleRun(Sides.Native, 1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.Zero, TimeSpan.Zero),
        ]);

        // When
        var startPrimary = result.Step(r => r.StartPrimary);
        var total = result.Total;

        // Then
        Assert.Equal([3.0], startPrimary.Container);
        Assert.Equal([2.0], startPrimary.Native);
        Assert.Equal([12.0], total.Container);
        Assert.Equal([10.0], total.Native);
    }
}
