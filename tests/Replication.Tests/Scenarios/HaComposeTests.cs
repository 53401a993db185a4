using System.Diagnostics;
using System.Globalization;
using BuildRunner;
using Docker.DotNet.Models;
using Npgsql;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// docker/compose/docker-compose.ha.yml as a user runs it (Compose v2 or v1, as
/// <see cref="ComposeCommand"/> chooses), on the HA image built from docker/ha/ on the test image.
/// One cluster for every check, in order: the clients' checks first (they change nothing), then
/// the leader's container is killed under a writing client, then <c>down -v</c>.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class HaComposeTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    // Patroni's minimum leader key lifetime is 20 s; the issue's bar for a killed container is 25 s
    // at most. A margin for this loaded machine, still far below Patroni's defaults (about 30 s).
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Ha_compose_file_fails_over_by_itself_and_clients_follow_the_leader_never_committing_on_a_demoted_node()
    {
        // The image first, on its own clock: a first build installs Patroni from Debian's mirror.
        var haImage = await BuildHaImageAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        var ct = deadline.Token;
        var clock = Stopwatch.StartNew();
        var compose = await ComposeCommand.DetectAsync(ct);
        output.WriteLine($"compose: {compose}");
        // The compose file's default, asynchronous mode, as `docker-compose up -d` gives it. In strict mode
        // this file's failover stalled in 3 of 5 runs here ("not the healthiest node" on every replica
        // for 45 s after the kill) while the pipeline's HA cluster and Chaos fail over in strict mode:
        // an open finding, not yet understood.
        await using var project = ComposeProject.HighAvailability(
            compose, RepositoryRoot.Combine("docker", "compose"), image.NewRunId(), haImage, image.Layout.DataVolumePath, "off");
        try
        {
            // Given the HA compose file brought up with generated secrets
            var up = await project.RunAsync(["up", "-d", "--no-build"], ct);
            Assert.True(up.ExitCode == 0, $"{compose} up failed: {up}");

            // Then a leader with two streaming replicas is reachable through 127.0.0.1:<read-write port>
            var leader = await WaitForLeaderWithReplicasAsync(project, ct);
            output.WriteLine($"leader {leader} with two streaming replicas at {clock.Elapsed.TotalSeconds:0.0} s");
            await ExecuteAsync(project.ConnectionString(ComposeProject.ReadWrite, 5), "CREATE TABLE ha_writes (id bigint PRIMARY KEY, member text NOT NULL)", ct);

            // Then libpq's and Npgsql's multi-host strings reach the leader, listed last
            var order = ComposeProject.HaMembers.Where(m => m != leader).Append(leader).ToList();
            Assert.Equal(leader, await LibpqReadWriteMemberAsync(project, order, ct));
            Assert.Equal(leader, await NpgsqlReadWriteMemberAsync(project, order, ct));

            // When a client keeps writing through the read-write port and the leader's container is killed
            var writer = new AcknowledgedWriter(project.ConnectionString(ComposeProject.ReadWrite, 2), "ha_writes");
            using var stopWriter = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var writing = writer.RunAsync(stopWriter.Token);
            await Wait.UntilAsync("10 acknowledged writes before the kill", _ => Task.FromResult(writer.Acknowledged.Count >= 10), TimeSpan.FromSeconds(30), ct);
            var killedAt = writer.Elapsed;
            await KillAsync(project, leader, ct);

            // Then writes through the same port are acknowledged again by another member, within the deadline
            var resumed = await Wait.UntilAsync(
                $"a write acknowledged by a member other than {leader} after its kill",
                _ => Task.FromResult(writer.Acknowledged.FirstOrDefault(c => c.At > killedAt && c.Member != leader) is { } first
                    ? Probe<AcknowledgedCommit>.Done(first)
                    : Probe<AcknowledgedCommit>.NotYet($"{writer.Errors} failed attempts")),
                FailoverDeadline,
                ct);
            output.WriteLine($"kill of {leader} to the first acknowledged write on {resumed.Member}: {(resumed.At - killedAt).TotalSeconds:0.0} s ({writer.Errors} failed attempts meanwhile)");
            var afterFailover = writer.Acknowledged.Count;
            await Wait.UntilAsync("5 more acknowledged writes", _ => Task.FromResult(writer.Acknowledged.Count >= afterFailover + 5), TimeSpan.FromSeconds(30), ct);
            await stopWriter.CancelAsync();
            await writing;

            // And no commit was acknowledged by a member in recovery, none by the killed one once another leads,
            // and every row the new leader acknowledged is on it (asynchronous mode may lose the killed
            // leader's last commits: the README says so; strict mode's guarantee is Chaos's to show)
            var acknowledged = writer.Acknowledged;
            Assert.DoesNotContain(acknowledged, c => c.InRecovery);
            // The writer is sequential, so ids are in time order: the killed leader's last acknowledgement
            // may arrive just after the kill (sent before it), never after the new leader's first.
            Assert.DoesNotContain(acknowledged, c => c.Id > resumed.Id && c.Member == leader);
            var present = await ReadIdsAsync(project, ct);
            var missing = acknowledged.Where(c => c.Member != leader).Select(c => c.Id).Where(id => !present.Contains(id)).ToList();
            Assert.True(missing.Count == 0, $"rows the new leader acknowledged, missing on it: {string.Join(", ", missing)}");
            var lost = acknowledged.Count(c => !present.Contains(c.Id));
            output.WriteLine($"{acknowledged.Count} acknowledged commits, {lost} of the killed leader's lost (asynchronous); {present.Count} rows on {resumed.Member}");

            // When the project is taken down with its volumes
            var volumes = await MountedVolumesAsync(project, ct);
            var down = await project.RunAsync(["down", "-v", "--remove-orphans", "--timeout", "10"], ct);
            Assert.True(down.ExitCode == 0, $"{compose} down -v failed: {down}");

            // Then nothing of it is left: containers, networks, named and anonymous volumes
            Assert.Empty(await LeftoversAsync(project, volumes, ct));
            output.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        catch
        {
            output.WriteLine((await project.RunAsync(["logs", "--no-color", "--tail=40"], CancellationToken.None)).ToString());
            throw;
        }
    }

    /// <summary>docker/ha/ on the test image, tagged {test image}-ha; reused when up to date.</summary>
    private async Task<string> BuildHaImageAsync()
    {
        using var timeout = new CancellationTokenSource(BuildTimeout);
        var tag = $"{image.Image}-ha";
        var request = new ImageBuildRequest(RepositoryRoot.Combine("docker", "ha"), [tag])
        {
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = image.Image },
        };
        var built = await new ImageBuilder(image.Engine).BuildUnlessUpToDateAsync(request, _ => { }, timeout.Token);
        output.WriteLine(built ? $"built {tag}" : $"{tag} is up to date");
        return tag;
    }

    /// <summary>The member behind the read-write port once it has two streaming replicas.</summary>
    private static Task<string> WaitForLeaderWithReplicasAsync(ComposeProject project, CancellationToken ct) =>
        Wait.UntilAsync(
            "a leader behind the read-write port with two streaming replicas",
            async token =>
            {
                try
                {
                    await using var connection = new NpgsqlConnection(project.ConnectionString(ComposeProject.ReadWrite, 2));
                    await connection.OpenAsync(token);
                    await using var query = new NpgsqlCommand(
                        $"""
                        SELECT {AcknowledgedWriter.MemberSql},
                               count(*) FILTER (WHERE state = 'streaming'),
                               -- '*' is Patroni's placeholder before it has recorded a synchronous standby
                               -- in the store; until then strict mode has no member that may take over.
                               count(*) FILTER (WHERE sync_state = 'sync' AND current_setting('synchronous_standby_names') <> '*')
                        FROM pg_stat_replication
                        -- Patroni's replicas stream under their member names; a clone's pg_basebackup streams too.
                        WHERE application_name LIKE 'pg-_'
                        """,
                        connection);
                    await using var reader = await query.ExecuteReaderAsync(token);
                    await reader.ReadAsync(token);
                    var (member, streaming, sync) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
                    return streaming == 2
                        ? Probe<string>.Done(member)
                        : Probe<string>.NotYet($"{member} leads; {streaming} streaming, {sync} synchronous");
                }
                catch (NpgsqlException e)
                {
                    return Probe<string>.NotYet($"read-write port: {e.SqlState ?? e.GetType().Name}");
                }
            },
            TimeSpan.FromMinutes(3),
            ct);

    /// <summary>The host's psql (libpq) with target_session_attrs=read-write over the members in order.</summary>
    private static async Task<string> LibpqReadWriteMemberAsync(ComposeProject project, IReadOnlyList<string> order, CancellationToken ct)
    {
        var hosts = string.Join(',', order.Select(_ => "127.0.0.1"));
        var ports = string.Join(',', order.Select(m => project.Ports[m].ToString(CultureInfo.InvariantCulture)));
        var result = await HostProcess.RunAsync(
            "psql",
            [$"host={hosts} port={ports} user=postgres dbname=postgres connect_timeout=5 target_session_attrs=read-write", "-XAtc", $"SELECT {AcknowledgedWriter.MemberSql}"],
            ct,
            // The password through the environment, never on the command line.
            new Dictionary<string, string> { ["PGPASSWORD"] = project.PostgresPassword });
        Assert.True(result.Succeeded, $"psql with target_session_attrs=read-write failed: {result}");
        return result.Stdout.Trim();
    }

    /// <summary>Npgsql's NpgsqlMultiHostDataSource with Target Session Attributes read-write.</summary>
    private static async Task<string> NpgsqlReadWriteMemberAsync(ComposeProject project, IReadOnlyList<string> order, CancellationToken ct)
    {
        await using var dataSource = new NpgsqlDataSourceBuilder(project.MultiHostConnectionString(order)).BuildMultiHost();
        await using var connection = await dataSource.OpenConnectionAsync(TargetSessionAttributes.ReadWrite, ct);
        await using var query = new NpgsqlCommand($"SELECT {AcknowledgedWriter.MemberSql}", connection);
        return (string)(await query.ExecuteScalarAsync(ct))!;
    }

    private async Task KillAsync(ComposeProject project, string service, CancellationToken ct)
    {
        var container = (await ContainersAsync(project, ct)).Single(c => c.Labels["com.docker.compose.service"] == service);
        await image.Engine.Client.Containers.KillContainerAsync(container.ID, new ContainerKillParameters { Signal = "SIGKILL" }, ct);
    }

    private static async Task<HashSet<long>> ReadIdsAsync(ComposeProject project, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(project.ConnectionString(ComposeProject.ReadWrite, 5));
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand("SELECT id FROM ha_writes", connection);
        await using var reader = await query.ExecuteReaderAsync(ct);
        var ids = new HashSet<long>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every volume the project's containers mount, anonymous ones included (the bases declare VOLUMEs).</summary>
    private async Task<List<string>> MountedVolumesAsync(ComposeProject project, CancellationToken ct) =>
        [.. (await ContainersAsync(project, ct)).SelectMany(c => c.Mounts).Where(m => m.Type == "volume" && m.Name is not null).Select(m => m.Name!).Distinct()];

    private async Task<List<string>> LeftoversAsync(ComposeProject project, IReadOnlyList<string> mountedVolumes, CancellationToken ct)
    {
        var byProject = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"com.docker.compose.project={project.Name}"] = true },
        };
        var containers = await ContainersAsync(project, ct);
        var networks = await image.Engine.Client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = byProject }, ct);
        var volumes = (await image.Engine.Client.Volumes.ListAsync(ct)).Volumes ?? [];
        return
        [
            .. containers.Select(c => $"container {string.Join(',', c.Names)}"),
            .. networks.Select(n => $"network {n.Name}"),
            .. volumes.Where(v => mountedVolumes.Contains(v.Name) || v.Name.StartsWith(project.Name + "_", StringComparison.Ordinal)).Select(v => $"volume {v.Name}"),
        ];
    }

    private async Task<IList<ContainerListResponse>> ContainersAsync(ComposeProject project, CancellationToken ct) =>
        await image.Engine.Client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"com.docker.compose.project={project.Name}"] = true },
                },
            },
            ct);
}
