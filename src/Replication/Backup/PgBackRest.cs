using System.Diagnostics;

namespace PostgresReplication;

/// <summary>
/// pgBackRest run by hand inside a node's container, as users do: <c>docker exec -u postgres NAME
/// pgbackrest COMMAND</c>. The image's configuration and the container's PGBACKREST_* environment
/// supply the stanza and the repository, so no option repeats them here.
/// </summary>
public static class PgBackRest
{
    /// <summary>The image's stanza when PGBACKREST_STANZA is not set.</summary>
    public const string DefaultStanza = "main";

    /// <summary>
    /// A backup of <paramref name="type"/> from <paramref name="node"/> (the primary), with an
    /// immediate checkpoint (a spread one waits minutes); pgBackRest expires what the retention no
    /// longer keeps right after it. Returns how long it took.
    /// </summary>
    public static async Task<TimeSpan> BackupAsync(PostgresNode node, BackupType type, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await RunAsync(node, ["backup", $"--type={type.Word()}", "--start-fast"], ct);
        return clock.Elapsed;
    }

    /// <summary>The stanza's backups, read from <c>info --output=json</c>.</summary>
    public static async Task<BackupInfo> InfoAsync(PostgresNode node, string stanza, CancellationToken ct) =>
        BackupInfo.Parse(await RunAsync(node, ["info", "--output=json"], ct), stanza);

    /// <summary>Checks that the configuration is valid and that WAL reaches the repository: it switches WAL and waits until the segment is archived.</summary>
    public static Task CheckAsync(PostgresNode node, CancellationToken ct) => RunAsync(node, ["check"], ct);

    /// <summary>Reads every file of the repository and compares it with its recorded checksum.</summary>
    public static Task VerifyAsync(PostgresNode node, CancellationToken ct) => RunAsync(node, ["verify"], ct);

    /// <summary>Removes the backups and WAL the retention settings no longer keep.</summary>
    public static Task ExpireAsync(PostgresNode node, CancellationToken ct) => RunAsync(node, ["expire"], ct);

    /// <summary>Its standard output; a non-zero exit throws with pgBackRest's exit code and its last lines.</summary>
    private static async Task<string> RunAsync(PostgresNode node, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var result = await node.ExecAsync(["pgbackrest", .. arguments], "postgres", ct);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new PgBackRestException(node.Name, arguments[0], result.ExitCode, string.Join(Environment.NewLine, ContainerLogs.LastLines(result.Stderr + result.Stdout, 10)));
    }
}

/// <summary>A pgBackRest command that exited non-zero; the pipeline prints it as one failure, without a stack trace.</summary>
public sealed class PgBackRestException(string node, string command, long exitCode, string output)
    : Exception($"pgbackrest {command} on {node} exited with code {exitCode}: {output.Trim()}")
{
    public long ExitCode { get; } = exitCode;
}
