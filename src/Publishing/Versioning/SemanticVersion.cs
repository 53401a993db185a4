using System.Globalization;
using System.Text.RegularExpressions;

namespace PostgresReplication.Publishing;

/// <summary>
/// A SemVer 2.0 version. Equality is textual (build metadata included); ordering is SemVer
/// precedence, which ignores build metadata.
/// </summary>
public sealed partial record SemanticVersion(int Major, int Minor, int Patch, string PreRelease = "", string BuildMetadata = "")
    : IComparable<SemanticVersion>
{
    public bool IsPreRelease => PreRelease.Length > 0;

    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new FormatException($"'{text}' is not a SemVer 2.0 version (e.g. 1.2.3 or 1.2.3-rc.1).");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        var match = text is null ? Match.Empty : Shape().Match(text);
        if (!match.Success
            || !TryNumber(match.Groups["major"].Value, out var major)
            || !TryNumber(match.Groups["minor"].Value, out var minor)
            || !TryNumber(match.Groups["patch"].Value, out var patch))
        {
            return false;
        }

        version = new SemanticVersion(major, minor, patch, match.Groups["pre"].Value, match.Groups["build"].Value);
        return true;
    }

    /// <summary>The same version without build metadata, which Docker tags cannot carry ('+').</summary>
    public SemanticVersion WithoutBuildMetadata() => this with { BuildMetadata = "" };

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var core = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        return core != 0 ? core : PreReleaseOrder.Compare(PreRelease, other.PreRelease);
    }

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}"
        + (IsPreRelease ? "-" + PreRelease : "")
        + (BuildMetadata.Length > 0 ? "+" + BuildMetadata : "");

    // Numbers too large for int are valid SemVer but never occur in our tags; refusing them
    // keeps the type simple.
    private static bool TryNumber(string digits, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    // Numeric identifiers without leading zeros; alphanumeric identifiers need a non-digit.
    [GeneratedRegex(
        """
        ^(?<major>0|[1-9][0-9]*)\.(?<minor>0|[1-9][0-9]*)\.(?<patch>0|[1-9][0-9]*)
        (?:-(?<pre>(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?
        (?:\+(?<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
