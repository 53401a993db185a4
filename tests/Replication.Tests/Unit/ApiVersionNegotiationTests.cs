using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class ApiVersionNegotiationTests
{
    [Fact]
    public void An_older_engine_sets_the_version()
    {
        // Given an engine that serves up to 1.41 (Engine 20.10) and no override
        // When the version is chosen
        var choice = ApiVersionNegotiation.Choose("1.41", environmentOverride: null);

        // Then the engine's version wins
        Assert.Equal(new Version(1, 41), choice.Version);
        Assert.Contains("engine serves up to 1.41", choice.Reason);
    }

    [Fact]
    public void A_newer_engine_is_spoken_to_in_the_clients_version()
    {
        var choice = ApiVersionNegotiation.Choose("1.52", environmentOverride: null);

        Assert.Equal(ApiVersionNegotiation.ClientMaximum, choice.Version);
    }

    [Fact]
    public void Versions_compare_as_numbers_not_text()
    {
        // 1.9 is older than 1.41 although "1.9" sorts after "1.41" as text.
        Assert.Equal(new Version(1, 9), ApiVersionNegotiation.Choose("1.9", null).Version);
    }

    [Fact]
    public void DOCKER_API_VERSION_overrides_the_engine()
    {
        var choice = ApiVersionNegotiation.Choose("1.41", environmentOverride: "1.40");

        Assert.Equal(new Version(1, 40), choice.Version);
        Assert.Equal("DOCKER_API_VERSION=1.40", choice.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    public void An_engine_without_a_version_header_gets_the_clis_fallback(string? header)
    {
        Assert.Equal(new Version(1, 24), ApiVersionNegotiation.Choose(header, null).Version);
    }

    [Fact]
    public void A_malformed_override_is_refused_with_its_value()
    {
        var error = Assert.Throws<ArgumentException>(() => ApiVersionNegotiation.Choose("1.41", "one.forty"));

        Assert.Contains("one.forty", error.Message);
    }
}
