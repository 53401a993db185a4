namespace PostgresReplication.Benchmarks.Tests;

public sealed class ImageSizeResultTests
{
    [Fact]
    public void Our_layers_are_the_image_size_minus_the_base_size()
    {
        // Given
        var image = new ImageSizeResult("postgres-replication:15", "postgres:15", ImageBytes: 425_350_000, BaseImageBytes: 425_000_000, AddedLayers: 3);

        // When
        var layer = image.LayerBytes;

        // Then
        Assert.Equal(350_000, layer);
    }
}
