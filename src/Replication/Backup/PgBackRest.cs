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

    /// <summary>
    /// Reads every file of the repository and compares it with its recorded checksum. pgBackRest's
    /// verify exits 0 whatever it finds (2.45 to 2.60): what it found is in its text report, which
    /// is empty when all is well and otherwise gives a status per stanza, backup and archive range.
    /// </summary>
    public static async Task VerifyAsync(PostgresNode node, CancellationToken ct)
    {
        var report = await RunAsync(node, ["verify", "--output=text"], ct);
        if (VerifyProblems(report) is [_, ..] problems)
        {
            throw new PgBackRestException(
                $"pgbackrest verify on {node.Name} found the repository damaged: {string.Join("; ", problems)} (run `pgbackrest verify --log-level-console=info` in it for the files)",
                0);
        }
    }

    /// <summary>The report's lines whose status is other than ok or valid, with what they count.</summary>
    public static IReadOnlyList<string> VerifyProblems(string report)
    {
        var lines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var problems = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var status = lines[i].Split("status: ", 2) is [_, var rest] ? rest.Split(',')[0].Trim() : null;
            if (status is null or "ok" or "valid")
            {
                continue;
            }

            // The indented lines after a backup's or range's status count what was wrong in it.
            var details = lines.Skip(i + 1).TakeWhile(l => !l.Contains("status: ", StringComparison.Ordinal));
            problems.Add(string.Join(", ", [lines[i], .. details]));
        }

        return problems;
    }

    /// <summary>Removes the backups and WAL the retention settings no longer keep.</summary>
    public static Task ExpireAsync(PostgresNode node, CancellationToken ct) => RunAsync(node, ["expire"], ct);

    /// <summary>Its standard output; a non-zero exit throws with pgBackRest's exit code and its last lines.</summary>
    private static async Task<string> RunAsync(PostgresNode node, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var result = await node.ExecAsync(["pgbackrest", .. arguments], "postgres", ct);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new PgBackRestException(
                $"pgbackrest {arguments[0]} on {node.Name} exited with code {result.ExitCode}: " +
                string.Join(Environment.NewLine, ContainerLogs.LastLines(result.Stderr + result.Stdout, 10)).Trim(),
                result.ExitCode);
    }
}

/// <summary>A pgBackRest command that failed or reported a damaged repository; the pipeline prints it as one failure, without a stack trace.</summary>
public sealed class PgBackRestException(string message, long exitCode) : Exception(message)
{
    /// <summary>pgBackRest's exit code (0 when the command succeeded but reported damage).</summary>
    public long ExitCode { get; } = exitCode;
}
