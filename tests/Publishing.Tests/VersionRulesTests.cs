namespace PostgresReplication.Publishing.Tests;

/// <summary>The height rule and the tag search, on hand-made histories: no git involved.</summary>
public sealed class VersionRulesTests
{
    [Theory]
    [InlineData(null, 0, "0.0.0-alpha.0.0")]
    [InlineData(null, 5, "0.0.0-alpha.0.5")]
    [InlineData("1.2.3", 0, "1.2.3")]
    [InlineData("1.2.3", 4, "1.2.4-alpha.0.4")]
    [InlineData("1.3.0-rc.1", 0, "1.3.0-rc.1")]
    [InlineData("1.3.0-rc.1", 2, "1.3.0-rc.1.2")]
    public void Height_rule(string? tag, int height, string expected)
    {
        // Given the nearest tag (or none) and the commits since it
        var tagVersion = tag is null ? null : SemanticVersion.Parse(tag);

        // When HEAD's version is computed
        var version = VersionRules.Compute(tagVersion, height);

        // Then it follows MinVer's rule
        Assert.Equal(expected, version.ToString());
    }

    [Theory]
    [InlineData("1.2.3", 4)]
    [InlineData("1.3.0-rc.1", 2)]
    public void Versions_after_a_tag_sort_between_it_and_the_next_release(string tag, int height)
    {
        // Given a tag and commits after it
        var tagged = SemanticVersion.Parse(tag);

        // When the version of the later commit is computed
        var later = VersionRules.Compute(tagged, height);

        // Then it is above the tag and below the release that follows it
        var nextRelease = tagged.IsPreRelease ? tagged with { PreRelease = "" } : tagged with { Patch = tagged.Patch + 1 };
        Assert.True(later > tagged);
        Assert.True(later < nextRelease);
    }

    [Fact]
    public void Linear_history_uses_the_nearest_tag_and_its_distance()
    {
        // Given c1 <- c2 (v1.0.0) <- c3 <- c4 (v1.1.0) <- c5 <- c6
        var parents = Chain("c1", "c2", "c3", "c4", "c5", "c6");
        var tags = new Dictionary<string, string> { ["v1.0.0"] = "c2", ["v1.1.0"] = "c4" };

        // When the tag for c6 is looked up
        var (tag, _) = NearestTag.Find("c6", parents, tags);

        // Then v1.1.0, two commits back
        Assert.Equal(new TagCandidate("v1.1.0", SemanticVersion.Parse("1.1.0"), "c4", 2), tag);
    }

    [Fact]
    public void Merge_takes_the_highest_version_among_the_first_tags_on_each_path()
    {
        // Given a merge m of a branch tagged v2.0.0 (three back) and main tagged v1.5.0 (one back)
        var parents = new Dictionary<string, IReadOnlyList<string>>
        {
            ["root"] = [],
            ["a"] = ["root"], ["b"] = ["a"], ["c"] = ["b"],
            ["main"] = ["root"],
            ["m"] = ["main", "c"],
        };
        var tags = new Dictionary<string, string> { ["v2.0.0"] = "a", ["v1.5.0"] = "main" };

        // When the tag for m is looked up
        var (tag, _) = NearestTag.Find("m", parents, tags);

        // Then the higher version wins, with its own distance
        Assert.Equal("v2.0.0", tag?.Tag);
        Assert.Equal(3, tag?.Height);
    }

    [Fact]
    public void Tags_that_are_not_v_plus_SemVer_are_ignored()
    {
        // Given HEAD tagged with names that only look like versions, and v0.9.0 further back
        var parents = Chain("c1", "c2", "c3");
        var tags = new Dictionary<string, string>
        {
            ["v0.9.0"] = "c1", ["1.0.0"] = "c3", ["v1.0"] = "c3", ["vnext"] = "c3", ["release-1.0.0"] = "c3",
        };

        // When the tag for HEAD is looked up
        var (tag, _) = NearestTag.Find("c3", parents, tags);

        // Then only v0.9.0 counts
        Assert.Equal("v0.9.0", tag?.Tag);
        Assert.Equal(2, tag?.Height);
    }

    [Fact]
    public void Two_tags_on_one_commit_give_the_higher_version()
    {
        // Given HEAD tagged both as a release candidate and as the release
        var parents = Chain("c1");
        var tags = new Dictionary<string, string> { ["v1.0.0-rc.2"] = "c1", ["v1.0.0"] = "c1" };

        // When the tag for HEAD is looked up
        var (tag, _) = NearestTag.Find("c1", parents, tags);

        // Then the release wins
        Assert.Equal("v1.0.0", tag?.Tag);
        Assert.Equal(0, tag?.Height);
    }

    [Fact]
    public void Without_tags_the_height_counts_from_the_root_commit()
    {
        // Given four untagged commits
        var parents = Chain("c1", "c2", "c3", "c4");

        // When the tag for HEAD is looked up
        var (tag, heightFromRoot) = NearestTag.Find("c4", parents, new Dictionary<string, string>());

        // Then there is none, and HEAD is three commits above the root
        Assert.Null(tag);
        Assert.Equal(3, heightFromRoot);
    }

    private static Dictionary<string, IReadOnlyList<string>> Chain(params string[] commits) =>
        commits.Select((c, i) => (c, i == 0 ? [] : new[] { commits[i - 1] }))
            .ToDictionary(x => x.c, x => (IReadOnlyList<string>)x.Item2);
}
