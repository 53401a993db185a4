namespace PostgresReplication.Publishing.Tests;

public sealed class ImageTagsTests
{
    [Fact]
    public void A_release_of_the_default_major_gets_moving_and_pinned_tags_and_latest()
    {
        // Given PostgreSQL 18.6 in release 1.2.3, 18 being the default major
        // When the tags are chosen
        var tags = ImageTags.For(18, "18.6", SemanticVersion.Parse("1.2.3"), defaultMajor: 18);

        // Then the major, the pinned pair and latest
        Assert.Equal(["18", "18-1.2.3", "18.6-1.2.3", "latest"], tags);
    }

    [Fact]
    public void A_release_of_another_major_does_not_get_latest()
    {
        // Given PostgreSQL 15.14 in release 1.2.3, 18 being the default major
        // When the tags are chosen
        var tags = ImageTags.For(15, "15.14", SemanticVersion.Parse("1.2.3"), defaultMajor: 18);

        // Then no latest
        Assert.Equal(["15", "15-1.2.3", "15.14-1.2.3"], tags);
    }

    [Fact]
    public void A_pre_release_gets_only_pinned_tags()
    {
        // Given a release candidate of the default major
        // When the tags are chosen
        var tags = ImageTags.For(18, "18.6", SemanticVersion.Parse("2.0.0-rc.1"), defaultMajor: 18);

        // Then neither the major nor latest move to it
        Assert.Equal(["18-2.0.0-rc.1", "18.6-2.0.0-rc.1"], tags);
    }

    [Fact]
    public void Build_metadata_is_dropped_because_tags_cannot_hold_a_plus()
    {
        // Given a version with build metadata
        // When the tags are chosen
        var tags = ImageTags.For(17, "17.7", SemanticVersion.Parse("1.2.3+sha.abc"), defaultMajor: 18);

        // Then the tags carry the version without it
        Assert.Equal(["17", "17-1.2.3", "17.7-1.2.3"], tags);
    }

    [Theory]
    [InlineData("17.2")]
    [InlineData("180.1")]
    [InlineData("")]
    public void A_PostgreSQL_version_of_another_major_is_refused(string postgresVersion)
    {
        // Given a full version that does not belong to major 18
        // When the tags are chosen
        var error = Assert.Throws<ArgumentException>(
            () => ImageTags.For(18, postgresVersion, SemanticVersion.Parse("1.2.3"), defaultMajor: 18));

        // Then the mismatch is named
        Assert.Contains("major 18", error.Message, StringComparison.Ordinal);
    }
}
