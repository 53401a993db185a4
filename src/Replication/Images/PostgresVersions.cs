namespace PostgresReplication;

/// <summary>
/// The PostgreSQL majors the project builds and tests. C# reads them from here; the files that
/// cannot (the Dockerfile, compose and stack files, the workflows, .ci/run, the README) are checked
/// against them by a test in Pipeline.Tests.
/// </summary>
public static class PostgresVersions
{
    /// <summary>What the build, the tests and the image use when no version is given; also tagged <c>latest</c>.</summary>
    public const int Default = 18;

    /// <summary>The majors CI proves on each push.</summary>
    public static readonly IReadOnlyList<int> Tested = [15, 17, 18];
}
