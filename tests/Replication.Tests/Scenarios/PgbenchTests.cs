using System.Globalization;
using BuildRunner;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>A real write load (pgbench's TPC-B-like script) and what the standbys hold afterwards.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class PgbenchTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private const int Clients = 2;
    private const int TransactionsPerClient = 1000;
    private static readonly string[] Tables = ["pgbench_accounts", "pgbench_branches", "pgbench_tellers", "pgbench_history"];

    [Fact]
    public Task Standbys_hold_the_primarys_data_after_a_pgbench_run() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary and two streaming standbys
        var (primary, standbys) = await ClusterSetup.StartWithStandbysAsync(cluster, output, ["standby-1", "standby-2"], ct);

        // When pgbench initialises scale 1 and runs 2 clients x 1,000 transactions on the primary
        await PgbenchAsync(cluster, primary, ["-i", "-s", "1", "-q"], ct);
        await PgbenchAsync(cluster, primary, ["-c", Clients.ToString(CultureInfo.InvariantCulture), "-t", TransactionsPerClient.ToString(CultureInfo.InvariantCulture)], ct);
        await WalReplay.CatchUpAsync(primary, standbys, ct);

        // Then every pgbench table reads the same on each standby as on the primary
        Assert.Equal((long)Clients * TransactionsPerClient, await primary.ScalarAsync<long>("SELECT count(*) FROM pgbench_history", ct));
        var expected = await ChecksumsAsync(primary, ct);
        output.WriteLine(expected);
        foreach (var standby in standbys)
        {
            Assert.Equal(expected, await ChecksumsAsync(standby, ct));
        }
    });

    /// <summary>The checksum of every pgbench table on one node, one line per table.</summary>
    private static async Task<string> ChecksumsAsync(PostgresNode node, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var table in Tables)
        {
            lines.Add($"{table}: {await TableChecksum.OfAsync(node, table, ct)}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The host's pgbench against the primary's published loopback port; the password only in its environment.</summary>
    private async Task PgbenchAsync(ReplicationCluster cluster, PostgresNode primary, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        string[] connection =
        [
            "-h", "127.0.0.1", "-p", primary.HostPort.ToString(CultureInfo.InvariantCulture),
            "-U", cluster.Options.SuperuserName,
        ];
        var result = await HostProcess.RunAsync(
            "pgbench",
            [.. arguments, .. connection, cluster.Options.Database],
            ct,
            new Dictionary<string, string> { ["PGPASSWORD"] = cluster.Options.SuperuserPassword, ["PGCONNECT_TIMEOUT"] = "10" });
        output.WriteLine($"pgbench {string.Join(' ', arguments)}: {result}");
        Assert.True(result.ExitCode == 0, $"pgbench {string.Join(' ', arguments)} failed: {result}");
    }
}
