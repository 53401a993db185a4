using System.Globalization;
using System.Text.RegularExpressions;

namespace PostgresReplication.Publishing;

/// <summary>
/// Which tags one image gets. For PostgreSQL major M (full version P), release version V and
/// default major D: <c>M</c>, <c>M-V</c>, <c>P-V</c>, and <c>latest</c> when M == D.
/// A pre-release V gets only the pinned tags <c>M-V</c> and <c>P-V</c>: <c>M</c> and
/// <c>latest</c> are moving tags users pull expecting the newest release, so a release
/// candidate must not replace them.
/// </summary>
public static partial class ImageTags
{
    public const string Latest = "latest";

    /// <param name="postgresMajor">The PostgreSQL major version, e.g. 18.</param>
    /// <param name="postgresVersion">The full PostgreSQL version read from the image, e.g. 18.6.</param>
    /// <param name="release">This project's version; build metadata is dropped, Docker tags cannot hold '+'.</param>
    /// <param name="defaultMajor">The major that <c>latest</c> points at.</param>
    public static IReadOnlyList<string> For(int postgresMajor, string postgresVersion, SemanticVersion release, int defaultMajor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(postgresMajor);
        ArgumentNullException.ThrowIfNull(release);
        var major = postgresMajor.ToString(CultureInfo.InvariantCulture);
        // Guards against passing the wrong image's version: 17.2 must not be tagged as 18.
        if (!MatchesMajor(postgresVersion, major))
        {
            throw new ArgumentException(
                $"PostgreSQL version '{postgresVersion}' does not belong to major {major} (expected e.g. {major}.1).",
                nameof(postgresVersion));
        }

        var version = release.WithoutBuildMetadata().ToString();
        List<string> tags = release.IsPreRelease
            ? [$"{major}-{version}", $"{postgresVersion}-{version}"]
            : [major, $"{major}-{version}", $"{postgresVersion}-{version}"];
        if (!release.IsPreRelease && postgresMajor == defaultMajor)
        {
            tags.Add(Latest);
        }

        return tags.Distinct(StringComparer.Ordinal).Select(EnsureValid).ToList();
    }

    private static bool MatchesMajor(string postgresVersion, string major) =>
        postgresVersion == major
        || (postgresVersion.StartsWith(major, StringComparison.Ordinal) && !char.IsAsciiDigit(postgresVersion[major.Length]));

    private static string EnsureValid(string tag) =>
        DockerTag().IsMatch(tag) ? tag : throw new ArgumentException($"'{tag}' is not a valid Docker tag.");

    // The engine's tag grammar: word character first, then word characters, dots and dashes.
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex DockerTag();
}
