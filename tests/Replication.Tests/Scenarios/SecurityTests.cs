using ContainerListProcessesParameters = Docker.DotNet.Models.ContainerListProcessesParameters;
using Npgsql;
using Npgsql.Replication;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>Passwords on every network connection, replication for the replication role only, secrets kept out of sight.</summary>
[Collection(ReplicationCollection.Name)]
public sealed class SecurityTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public Task Network_connections_always_need_a_password() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary and a standby
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);

        foreach (var node in new[] { primary, standby })
        {
            // Then every host line of its pg_hba.conf that lets anyone in asks for a SCRAM password
            // (the others reject), and the file has no errors
            var hostRules = await node.ScalarAsync<string>(
                """
                SELECT string_agg(DISTINCT auth_method, ',' ORDER BY auth_method)
                FROM pg_hba_file_rules WHERE type LIKE 'host%' AND auth_method <> 'reject'
                """,
                ct);
            Assert.Equal("scram-sha-256", hostRules);
            Assert.Equal(0L, await node.ScalarAsync<long>("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL", ct));

            // And a TCP login with a wrong password fails
            var wrong = new NpgsqlConnectionStringBuilder(node.ConnectionString) { Password = ClusterOptions.NewPassword() };
            await using var connection = new NpgsqlConnection(wrong.ConnectionString);
            var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(ct));
            Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
        }
    });

    [Fact]
    public Task Only_the_replication_role_from_the_primarys_networks_may_replicate() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary, reached from the host through its published port (127.0.0.1)
        var primary = await cluster.AddPrimaryAsync(ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

        // When the superuser, with its right password, asks for a replication connection
        await using (var asSuperuser = new PhysicalReplicationConnection(primary.ConnectionString))
        {
            // Then pg_hba.conf refuses it
            var error = await Assert.ThrowsAsync<PostgresException>(() => asSuperuser.Open(ct));
            Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, error.SqlState);
            Assert.Contains("pg_hba.conf", error.MessageText, StringComparison.Ordinal);
        }

        // Nor may the replication role with its right password: a published port's client arrives
        // from the network's gateway, which "samenet" would otherwise let in
        var asReplicator = new NpgsqlConnectionStringBuilder(primary.ConnectionString)
        {
            Username = cluster.Options.ReplicationUser,
            Password = cluster.Options.ReplicationPassword,
        };
        await using (var fromThePublishedPort = new PhysicalReplicationConnection(asReplicator.ConnectionString))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => fromThePublishedPort.Open(ct));
            Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, error.SqlState);
        }

        // While a standby on the primary's own network clones and streams with the same role
        var standby = await cluster.AddStandbyAsync("standby-1", primary, ct);
        output.WriteLine((await Probes.WaitUntilStreamingAsync(primary, standby, ct)).ToString());
    });

    [Fact]
    public Task Replication_password_appears_in_no_log_and_no_process_list() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary and a standby that cloned it and streams
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        var secret = cluster.Options.ReplicationPassword;

        foreach (var node in new[] { primary, standby })
        {
            // Then its log does not hold the password
            var log = await node.LogsAsync(100_000, ct);
            Assert.Contains("starting PostgreSQL", log, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);

            // Nor does the engine's process list (docker top), nor any command line under /proc
            var top = await cluster.Engine.Client.Containers.ListProcessesAsync(
                node.ContainerId, new ContainerListProcessesParameters { PsArgs = "-ef" }, ct);
            var processes = string.Join('\n', top.Processes.Select(p => string.Join(' ', p)));
            Assert.Contains("postgres", processes, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, processes, StringComparison.Ordinal);

            var cmdlines = await ContainerExec.RunAsync(
                cluster.Engine, node.ContainerId,
                ["sh", "-c", "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\"; echo; done 2>/dev/null"], ct);
            Assert.Contains(node == primary ? "walsender" : "walreceiver", cmdlines.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, cmdlines.Stdout, StringComparison.Ordinal);

            // And the server's processes do not carry it in their environment (read as their owner)
            var serverEnvironments = await ContainerExec.RunAsync(
                cluster.Engine, node.ContainerId,
                ["sh", "-c", "for d in /proc/[0-9]*; do [ \"$(cat $d/comm)\" = postgres ] && tr '\\0' '\\n' < $d/environ; done 2>/dev/null; true"],
                user: "postgres",
                ct);
            Assert.Contains("PGDATA=", serverEnvironments.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, serverEnvironments.Stdout, StringComparison.Ordinal);
        }
    });
}
