namespace PostgresReplication.Publishing;

/// <summary>The requested version is not SemVer 2.0.</summary>
public sealed class InvalidReleaseVersionException(string version)
    : ReleaseRefusedException(Describe(version))
{
    public string Version { get; } = version;

    private static string Describe(string version) =>
        version.StartsWith('v') && SemanticVersion.TryParse(version[1..], out _)
            ? $"'{version}' is not a SemVer 2.0 version: give it without the 'v' (e.g. 1.2.3); the tag gets the 'v'."
            : $"'{version}' is not a SemVer 2.0 version: use MAJOR.MINOR.PATCH, e.g. 1.2.3 (or 1.2.3-rc.1).";
}
