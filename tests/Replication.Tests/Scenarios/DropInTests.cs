using Npgsql;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// The image in place of the official postgres image: started with only what that image needs,
/// and with the options its documentation shows, it behaves as that image does.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class DropInTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Primary_without_replication_password_runs_closed_to_replication_until_given_one() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary started with POSTGRES_PASSWORD only, as the official image is
        var primary = await cluster.AddPrimaryAsync("primary", new Dictionary<string, string?> { ["REPLICATION_PASSWORD"] = null }, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

        // Then it runs, says once how to open replication, and has no replication role or line
        Assert.Contains("replication is closed: REPLICATION_PASSWORD is not set", await primary.LogsAsync(100, ct), StringComparison.Ordinal);
        Assert.Equal(0L, await primary.ScalarAsync<long>("SELECT count(*) FROM pg_roles WHERE rolreplication AND NOT rolsuper", ct));
        Assert.Equal(0L, await primary.ScalarAsync<long>("SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)", ct));

        // And a standby is refused with a line that says what the primary lacks
        var standby = await cluster.AddStandbyAsync("standby-1", primary, ct);
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);
        Assert.Contains("the primary needs REPLICATION_PASSWORD set", Assert.Single(refusal.ErrorLines), StringComparison.Ordinal);

        // When the primary is restarted with REPLICATION_PASSWORD, Then the standby clones and streams
        await primary.RecreateAsync(new Dictionary<string, string?> { ["REPLICATION_PASSWORD"] = cluster.Options.ReplicationPassword }, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        await standby.RecreateAsync(null, ct);
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
    });

    [Fact]
    public Task Host_auth_method_trust_lets_clients_in_without_a_password() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary with POSTGRES_HOST_AUTH_METHOD=trust and no POSTGRES_PASSWORD
        var primary = await cluster.AddPrimaryAsync(
            "primary",
            new Dictionary<string, string?> { ["POSTGRES_PASSWORD"] = null, ["POSTGRES_HOST_AUTH_METHOD"] = "trust" },
            ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

        // Then a client without a password gets in through the published port, and the log warns
        var withoutPassword = new NpgsqlConnectionStringBuilder(primary.ConnectionString) { Password = null };
        await using var connection = new NpgsqlConnection(withoutPassword.ConnectionString);
        await connection.OpenAsync(ct);
        Assert.Contains("POSTGRES_HOST_AUTH_METHOD=trust", await primary.LogsAsync(100, ct), StringComparison.Ordinal);
    });

    [Fact]
    public Task Own_pgdata_wal_directory_and_server_arguments_are_used() => image.RunClusterAsync(
        output,
        options => options with { ServerSettings = new Dictionary<string, string> { ["max_connections"] = "42" } },
        async (cluster, ct) =>
        {
            // Given PGDATA and POSTGRES_INITDB_WALDIR of the user's choosing, and postgres -c max_connections=42
            var volume = image.Layout.DataVolumePath;
            var primary = await cluster.AddPrimaryAsync(
                "primary",
                new Dictionary<string, string?> { ["PGDATA"] = $"{volume}/mine/data", ["POSTGRES_INITDB_WALDIR"] = $"{volume}/mine/wal" },
                ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

            // Then the server runs there, its WAL lives in the WAL directory, and the argument wins over the environment
            Assert.Equal($"{volume}/mine/data", await primary.ScalarAsync<string>("SHOW data_directory", ct));
            var link = await ContainerExec.RunAsync(cluster.Engine, primary.ContainerId, ["readlink", $"{volume}/mine/data/pg_wal"], ct);
            Assert.Equal($"{volume}/mine/wal", link.Stdout.Trim());
            Assert.Equal("42", await primary.ScalarAsync<string>("SHOW max_connections", ct));
        });

    [Fact]
    public Task Arbitrary_user_runs_the_server_as_that_uid() => image.RunClusterAsync(
        output,
        options => options with
        {
            NodeContainers = new Dictionary<string, NodeContainerOptions> { ["primary"] = new() { User = "12345:12345" } },
        },
        async (cluster, ct) =>
        {
            // Given --user 12345:12345 (no passwd entry) and PGDATA below the image's volume, as the official image documents
            var pgdata = $"{image.Layout.DataVolumePath}/pgdata-12345";
            var primary = await cluster.AddPrimaryAsync("primary", new Dictionary<string, string?> { ["PGDATA"] = pgdata }, ct);
            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

            // Then the server and its files belong to that uid
            var owners = await ContainerExec.RunAsync(cluster.Engine, primary.ContainerId, ["stat", "-c", "%u", "/proc/1", pgdata], ct);
            Assert.Equal(["12345", "12345"], owners.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(pgdata, await primary.ScalarAsync<string>("SHOW data_directory", ct));
        });

    [Fact]
    public Task Commands_other_than_the_server_run_as_given() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // When the container is given psql or bash instead of postgres
        var psql = await OneOffContainer.RunAsync(cluster, ["psql", "--version"], [], ct);
        var bash = await OneOffContainer.RunAsync(cluster, ["bash", "-c", "echo \"$PG_MAJOR\""], [], ct);

        // Then they run as they are, without any setup or refusal
        Assert.Equal(0L, psql.ExitCode);
        Assert.StartsWith($"psql (PostgreSQL) {image.PgVersion}.", psql.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(0L, bash.ExitCode);
        Assert.Equal(image.PgVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), bash.Output.Trim());
    });

    [Fact]
    public Task Server_has_jit_the_english_utf8_locale_and_the_official_uid() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary
        var primary = await cluster.AddPrimaryAsync(ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

        // Then JIT is available, new databases use en_US.utf8 as in the official image, and postgres is 999:999
        Assert.True(await primary.ScalarAsync<bool>("SELECT pg_jit_available()", ct));
        Assert.Equal("en_US.utf8", await primary.ScalarAsync<string>("SELECT datcollate FROM pg_database WHERE datname = 'template1'", ct));
        var id = await ContainerExec.RunAsync(cluster.Engine, primary.ContainerId, ["id", "postgres"], ct);
        Assert.StartsWith("uid=999(postgres) gid=999(postgres)", id.Stdout, StringComparison.Ordinal);
    });
}
