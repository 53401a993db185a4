using PostgresReplication.Benchmarks.Tests.Support;

namespace PostgresReplication.Benchmarks.Tests;

public sealed class BootstrapResultTests
{
    [Fact]
    public void Throughput_is_megabytes_of_ten_to_the_six_bytes_per_second()
    {
        // Given
        var run = new BootstrapRun(Sides.Native, 1, DataBytes: 1_050_000_000, Duration: TimeSpan.FromSeconds(7));

        // When
        var throughput = run.MegabytesPerSecond;

        // Then
        Assert.Equal(150, throughput, precision: 9);
    }

    [Fact]
    public void Throughput_and_duration_are_compared_side_by_side()
    {
        // Given
        var result = HandMadeResults.Bootstrap(90_000_000, 100_000_000);

        // When
        var throughput = result.Throughput;
        var seconds = result.Seconds;

        // Then
        Assert.Equal([90.0], throughput.Container);
        Assert.Equal([100.0], throughput.Native);
        Assert.Equal([1.0], seconds.Container);
        Assert.Equal([1.0], seconds.Native);
    }
}
