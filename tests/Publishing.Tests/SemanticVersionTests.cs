namespace PostgresReplication.Publishing.Tests;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("1.2.3", 1, 2, 3, "", "")]
    [InlineData("0.0.0-alpha.0.7", 0, 0, 0, "alpha.0.7", "")]
    [InlineData("10.20.30-rc.1+build.5", 10, 20, 30, "rc.1", "build.5")]
    [InlineData("1.0.0-x-y-z.--", 1, 0, 0, "x-y-z.--", "")]
    public void Parses_valid_versions(string text, int major, int minor, int patch, string pre, string build)
    {
        // Given a SemVer 2.0 string
        // When it is parsed
        var version = SemanticVersion.Parse(text);

        // Then every part is read and it prints back unchanged
        Assert.Equal(new SemanticVersion(major, minor, patch, pre, build), version);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("v1.2.3")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3-a..b")]
    [InlineData(" 1.2.3")]
    [InlineData("99999999999.0.0")]
    public void Refuses_strings_that_are_not_SemVer(string text)
    {
        // Given a string outside SemVer 2.0
        // When it is parsed
        var parsed = SemanticVersion.TryParse(text, out var version);

        // Then it is refused
        Assert.False(parsed);
        Assert.Null(version);
    }

    [Fact]
    public void Orders_by_SemVer_precedence()
    {
        // Given the precedence chain from the SemVer 2.0 spec, shuffled
        string[] expected =
        [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
            "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1-alpha.0.3", "1.0.1", "1.10.0", "2.0.0",
        ];
        var shuffled = expected.Reverse().ToList();

        // When sorted
        var sorted = shuffled.Select(SemanticVersion.Parse).Order().Select(v => v.ToString());

        // Then the spec's order comes back
        Assert.Equal(expected, sorted);
    }

    [Fact]
    public void Build_metadata_does_not_change_precedence()
    {
        // Given two versions differing only in build metadata
        var plain = SemanticVersion.Parse("1.2.3");
        var built = SemanticVersion.Parse("1.2.3+sha.abc");

        // When compared
        var order = plain.CompareTo(built);

        // Then neither is higher, though they are different strings
        Assert.Equal(0, order);
        Assert.NotEqual(plain, built);
        Assert.Equal(plain, built.WithoutBuildMetadata());
    }
}
