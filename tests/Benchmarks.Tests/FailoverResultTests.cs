namespace PostgresReplication.Benchmarks.Tests;

public sealed class FailoverResultTests
{
    private static readonly FailoverResult Result = new(
    [
        new FailoverRun(Sides.Container, 1, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(4)),
        new FailoverRun(Sides.Native, 1, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(1.0), TimeSpan.FromSeconds(2.5)),
        new FailoverRun(Sides.Container, 2, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.7), TimeSpan.FromSeconds(5)),
        new FailoverRun(Sides.Native, 2, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(3.5)),
    ]);

    [Fact]
    public void The_time_to_a_writable_primary_is_compared_in_seconds_side_by_side()
    {
        // Given
        var result = Result;

        // When
        var writable = result.Writable;

        // Then
        Assert.Equal([1.5, 1.7], writable.Container);
        Assert.Equal([1.0, 1.2], writable.Native);
    }

    [Fact]
    public void The_time_to_every_standby_streaming_is_its_own_figure()
    {
        // Given
        var result = Result;

        // When
        var streaming = result.AllStreaming;

        // Then
        Assert.Equal([4.0, 5.0], streaming.Container);
        Assert.Equal([2.5, 3.5], streaming.Native);
    }

    [Fact]
    public void A_step_keeps_the_order_of_the_repetitions()
    {
        // Given
        var result = Result;

        // When
        var gone = result.Step(r => r.PrimaryGone);

        // Then
        Assert.Equal([0.4, 0.5], gone.Container);
        Assert.Equal([0.1, 0.1], gone.Native);
    }
}
