using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>What the backup scenarios do inside a node: pgBackRest and the healthcheck as users would, and waiting for the archive.</summary>
internal static class PgBackRestExec
{
    /// <summary>`docker exec -u postgres NODE pgbackrest ARGS`, with no option beyond what the user types.</summary>
    public static async Task<ExecResult> RunAsync(ReplicationCluster cluster, PostgresNode node, IReadOnlyList<string> arguments, CancellationToken ct) =>
        await ContainerExec.RunAsync(cluster.Engine, node.ContainerId, ["pgbackrest", .. arguments], "postgres", ct);

    public static async Task BackupAsync(ReplicationCluster cluster, PostgresNode node, CancellationToken ct)
    {
        var result = await RunAsync(cluster, node, ["backup", "--type=full"], ct);
        Assert.True(result.ExitCode == 0, $"pgbackrest backup exited with {result.ExitCode}: {result.Stderr}{result.Stdout}");
    }

    /// <summary>As root, as an operator on the host would (chmod on the repository's volume).</summary>
    public static async Task AsRootAsync(ReplicationCluster cluster, PostgresNode node, IReadOnlyList<string> command, CancellationToken ct)
    {
        var result = await ContainerExec.RunAsync(cluster.Engine, node.ContainerId, command, "root", ct);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} exited with {result.ExitCode}: {result.Stderr}");
    }

    /// <summary>A bash script as root (an operator on the host reaching into the repository's volume); its standard output.</summary>
    public static async Task<string> RootShellAsync(ReplicationCluster cluster, PostgresNode node, string script, CancellationToken ct)
    {
        var result = await ContainerExec.RunAsync(cluster.Engine, node.ContainerId, ["bash", "-Eeuo", "pipefail", "-c", script], "root", ct);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        return result.Stdout;
    }

    public static async Task<(long ExitCode, string Output)> HealthcheckAsync(ReplicationCluster cluster, PostgresNode node, CancellationToken ct)
    {
        var result = await ContainerExec.RunAsync(cluster.Engine, node.ContainerId, ["replication-healthcheck.sh"], ct);
        return (result.ExitCode, result.Stdout.Trim());
    }

    /// <summary>Closes the current WAL segment and waits until the archiver has archived it (or a later one).</summary>
    public static async Task<string> SwitchAndWaitArchivedAsync(PostgresNode primary, CancellationToken ct)
    {
        var segment = await primary.ScalarAsync<string>("SELECT pg_walfile_name(pg_switch_wal())", ct)
                      ?? throw new InvalidOperationException("pg_switch_wal returned nothing");
        await WaitArchivedAsync(primary, segment, TimeSpan.FromSeconds(60), ct);
        return segment;
    }

    public static Task WaitArchivedAsync(PostgresNode primary, string segment, TimeSpan timeout, CancellationToken ct) =>
        Wait.UntilAsync(
            $"WAL segment {segment} archived by {primary.Name}",
            async token =>
            {
                var last = await primary.ScalarAsync<string>(
                    "SELECT coalesce(last_archived_wal, '-') || ' (failed ' || failed_count || ')' FROM pg_stat_archiver", token) ?? "";
                return string.CompareOrdinal(last[..Math.Min(24, last.Length)], segment) >= 0 && !last.StartsWith('-')
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet($"last archived {last}");
            },
            timeout,
            ct);
}
