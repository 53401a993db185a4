using BuildRunner;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// A host command of the benchmark, run to its end through <see cref="HostProcess"/>; returns what it
/// printed, and a non-zero exit throws with the command's own last lines. PostgreSQL refuses to run
/// as root, so its tools run as the postgres OS user (setpriv).
/// </summary>
internal static class NativeCommand
{
    public const string PostgresUser = "postgres";

    public static async Task<string> RunAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken ct,
        bool asPostgres = false, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var (program, all) = asPostgres ? AsPostgres(fileName, arguments) : (fileName, arguments);
        ProcessResult result;
        try
        {
            result = await HostProcess.RunAsync(program, all, ct, environment, workingDirectory ?? Path.GetTempPath());
        }
        catch (InvalidOperationException e)
        {
            throw new BenchmarkException(e.Message, e);
        }

        return result.Succeeded
            ? result.Output
            : throw new BenchmarkException(
                $"{Path.GetFileName(fileName)} exited with code {result.ExitCode}: {HostProcess.LastLines(result.Output, 8)}");
    }

    /// <summary>The command line that runs a program as the postgres OS user (never as root for PostgreSQL).</summary>
    public static (string Program, IReadOnlyList<string> Arguments) AsPostgres(string fileName, IReadOnlyList<string> arguments) =>
        ("setpriv", [$"--reuid={PostgresUser}", $"--regid={PostgresUser}", "--init-groups", "--", fileName, .. arguments]);
}

/// <summary>The host's PostgreSQL server programs, all from one bin folder (one major version).</summary>
internal sealed record NativeBinaries(string Directory)
{
    public string Initdb => Path.Combine(Directory, "initdb");

    public string Postgres => Path.Combine(Directory, "postgres");

    public string PgBasebackup => Path.Combine(Directory, "pg_basebackup");

    public string PgRewind => Path.Combine(Directory, "pg_rewind");

    /// <summary>For example "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)".</summary>
    public async Task<string> VersionAsync(CancellationToken ct) =>
        (await NativeCommand.RunAsync(Postgres, ["--version"], ct)).Trim();
}
