using System.Globalization;
using System.Text.RegularExpressions;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The benchmark compares the image with the host's PostgreSQL of the same major, or not at all: a
/// figure of 18 against 15 says nothing about the image. When the user names no major, the host's
/// is used (what `./build.sh Benchmark` alone should do); a different one is refused before anything
/// is built or started.
/// </summary>
public static partial class LikeForLike
{
    /// <summary>The major of a `postgres --version` line, e.g. 15 from "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)".</summary>
    public static int ParseMajor(string versionLine) =>
        VersionPattern().Match(versionLine) is { Success: true } match
            ? int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture)
            : throw new BenchmarkException($"Cannot read a PostgreSQL major from '{versionLine.Trim()}' (expected 'postgres (PostgreSQL) 15.20 ...').");

    /// <summary>The major of the host's server binaries in <paramref name="binDirectory"/>.</summary>
    public static async Task<int> NativeMajorAsync(string binDirectory, CancellationToken ct)
    {
        var binaries = new NativeBinaries(binDirectory);
        if (!File.Exists(binaries.Postgres))
        {
            throw new BenchmarkException(
                $"NATIVE_BIN_DIRECTORY {binDirectory} has no postgres: install postgresql-15 on the host, or set --native-bin-directory to a PostgreSQL bin folder.");
        }

        return ParseMajor(await binaries.VersionAsync(ct));
    }

    /// <summary>
    /// The major both sides run: the user's when it is the host's, the host's when the user named none;
    /// a different one throws, naming the cause and both fixes in one line.
    /// </summary>
    public static int ChooseMajor(int? requested, int nativeMajor, string binDirectory) =>
        requested is not { } major || major == nativeMajor
            ? nativeMajor
            : throw new BenchmarkException(
                $"--pg-version {major} differs from the host's PostgreSQL {nativeMajor} in {binDirectory}, and the benchmark compares like with like: " +
                $"run it with --pg-version {nativeMajor} (or without --pg-version), or set --native-bin-directory to a PostgreSQL {major} bin folder.");

    [GeneratedRegex(@"\(PostgreSQL\)\s+(?<major>\d+)(\.|devel|beta|rc|\s|$)")]
    private static partial Regex VersionPattern();
}
