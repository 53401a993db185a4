using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class ImagePlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "amd64")]
    [InlineData(" Linux/ARM64 ", "arm64")]
    public void A_platform_is_read_as_docker_writes_it(string text, string architecture)
    {
        Assert.Equal(architecture, ImagePlatform.Parse(text).Architecture);
    }

    [Fact]
    public void An_unsupported_platform_is_refused_naming_the_supported_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ImagePlatform.Parse("linux/arm/v7"));

        Assert.Contains("linux/amd64, linux/arm64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_platform_keeps_its_images_beside_the_native_ones()
    {
        // Given the platform that is not this machine's
        var other = ImagePlatform.Supported.Single(p => !p.IsNative);

        // Then its base and image names carry its architecture, and the native names stay as they were
        Assert.Equal($"postgres:15-{other.Architecture}", other.LocalName("postgres:15"));
        Assert.Equal($"127.0.0.1:5000/postgres:15-{other.Architecture}", other.LocalName("127.0.0.1:5000/postgres:15"));
        Assert.Equal($"postgres-replication-base:15-{other.Architecture}", OfflineBaseLayout.TagFor(15, other));
        Assert.Equal("postgres-replication-base:15", OfflineBaseLayout.TagFor(15, ImagePlatform.Native));
    }
}
