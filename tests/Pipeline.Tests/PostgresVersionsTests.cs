using System.Text.RegularExpressions;
using BuildRunner;
using PostgresReplication;

namespace Pipeline.Tests;

/// <summary>
/// The files that cannot read <see cref="PostgresVersions"/> (Dockerfile, compose and stack files,
/// parameters.json, workflows, .ci/run, README) say the same: changing the default is one edit
/// here and a failing test naming each file still to change.
/// </summary>
public sealed partial class PostgresVersionsTests
{
    public static TheoryData<string, string> DefaultMentions() => new()
    {
        { "docker/Dockerfile", @"ARG BASE_IMAGE=postgres:(\d+)" },
        { "docker/compose/docker-compose.yml", @"postgres(?:-replication)?:(\d+)\}" },
        { "deploy/swarm/stack.yml", @"postgres-replication:(\d+)\}" },
        { ".nuke/parameters.json", @"""PgVersion"": (\d+)" },
        { "README.md", @"\| `--pg-version` \| `PG_VERSION` \| `(\d+)`" },
        { "README.md", @"releases of the default major \((\d+)\)" },
    };

    [Theory]
    [MemberData(nameof(DefaultMentions))]
    public void Every_file_names_the_same_default_version(string file, string pattern)
    {
        // Given a file that names the default major
        var text = File.ReadAllText(RepositoryRoot.Combine(file));

        // When each mention is read
        var versions = Regex.Matches(text, pattern).Select(m => int.Parse(m.Groups[1].Value)).ToList();

        // Then there is one at least, and each is the default
        Assert.NotEmpty(versions);
        Assert.All(versions, v => Assert.Equal(PostgresVersions.Default, v));
    }

    [Theory]
    [InlineData(".github/workflows/ci.yml")]
    [InlineData(".github/workflows/release.yml")]
    [InlineData(".ci/run")]
    public void CI_tests_exactly_the_tested_versions(string file)
    {
        // Given a CI file's version list
        var match = VersionList().Match(File.ReadAllText(RepositoryRoot.Combine(file)));

        // When its numbers are read
        var versions = match.Groups["list"].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);

        // Then they are the tested versions, the default among them
        Assert.True(match.Success, $"{file} has no version list");
        Assert.Equal(PostgresVersions.Tested, versions);
        Assert.Contains(PostgresVersions.Default, PostgresVersions.Tested);
    }

    // ci.yml's "pg: [15, 17, 18]", .ci/run's "PG_VERSIONS=(15 17 18)".
    [GeneratedRegex(@"(?:pg: \[|PG_VERSIONS=\()(?<list>[\d, ]+)[\])]")]
    private static partial Regex VersionList();
}
