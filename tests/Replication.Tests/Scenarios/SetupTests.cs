using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// A primary's first start: every error of its own setup stops it with the server's reason, names
/// reach SQL only quoted, init scripts see the names users chose, and a first start that failed is
/// never taken for an initialised primary.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class SetupTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Failing_setup_sql_stops_the_start_with_the_servers_reason() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary whose cluster cannot store its replication password (SQL_ASCII has no ä)
        var primary = await cluster.AddPrimaryAsync(
            "primary",
            new Dictionary<string, string?>
            {
                ["POSTGRES_INITDB_ARGS"] = "--encoding=SQL_ASCII --locale=C",
                ["REPLICATION_PASSWORD"] = "pässwörd-" + ClusterOptions.NewPassword(),
            },
            ct);

        // When it starts, Then it stops with one line naming the step, after the server's own words,
        // instead of running healthy without a replication role
        var refusal = await Refusal.AwaitAsync(cluster, primary, ExitTimeout, ct);
        output.WriteLine(refusal.Log);
        Assert.NotEqual(0L, refusal.ExitCode);
        var line = Assert.Single(refusal.ErrorLines);
        Assert.Contains("setting up REPLICATION_USER 'replicator' failed", line, StringComparison.Ordinal);
        Assert.Contains("FATAL:", refusal.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("starting PostgreSQL", refusal.Log, StringComparison.Ordinal);
    });

    [Fact]
    public Task Database_name_cannot_smuggle_sql() => image.RunClusterAsync(
        output,
        options => options with { Database = "app\";\nALTER ROLE replicator SUPERUSER;\n--" },
        async (cluster, ct) =>
        {
            // Given a POSTGRES_DB that would close the quoted name and grant superuser if pasted into SQL
            var (primary, _) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);

            // Then the database has exactly that name, and the replication role (which streams) is no superuser
            Assert.Equal(cluster.Options.Database, await primary.ScalarAsync<string>("SELECT current_database()", ct));
            Assert.False(await primary.ScalarAsync<bool>("SELECT rolsuper FROM pg_roles WHERE rolname = 'replicator'", ct));
        });

    [Fact]
    public async Task Init_scripts_run_with_names_holding_spaces_quotes_and_line_breaks()
    {
        using var scripts = new HostFolder()
            .Write("01-table.sql", "CREATE TABLE seeded (id int); INSERT INTO seeded VALUES (1);")
            // As the official image's documentation writes its init scripts
            .Write("02-more.sh", """
                #!/bin/bash
                set -e
                psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<-EOSQL
                    INSERT INTO seeded VALUES (2);
                EOSQL
                """);
        await image.RunClusterAsync(
            output,
            options => options with
            {
                SuperuserName = "app owner",
                Database = "my \"shop\" db-1\nsecond line",
                NodeContainers = new Dictionary<string, NodeContainerOptions> { ["primary"] = new() { Binds = [scripts.InitScriptsBind] } },
            },
            async (cluster, ct) =>
            {
                // Given a primary whose superuser and database names need quoting, with two init scripts
                var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);

                // Then both scripts ran in that database as that user, and the standby has their rows
                Assert.Equal(cluster.Options.SuperuserName, await primary.ScalarAsync<string>("SELECT current_user", ct));
                Assert.Equal(cluster.Options.Database, await primary.ScalarAsync<string>("SELECT current_database()", ct));
                Assert.Equal("1,2", await primary.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id) FROM seeded", ct));
                await WalReplay.CatchUpAsync(primary, standby, ct);
                Assert.Equal(2L, await standby.ScalarAsync<long>("SELECT count(*) FROM seeded", ct));
            });
    }

    [Fact]
    public async Task Primary_whose_first_start_failed_is_initialised_anew_on_the_next()
    {
        using var scripts = new HostFolder()
            .Write("01-table.sql", "CREATE TABLE seeded (id int); INSERT INTO seeded VALUES (1);")
            .Write("02-broken.sh", "#!/bin/bash\necho 'broken on purpose' >&2\nexit 3\n");
        await image.RunClusterAsync(
            output,
            options => options with
            {
                NodeContainers = new Dictionary<string, NodeContainerOptions> { ["primary"] = new() { Binds = [scripts.InitScriptsBind] } },
            },
            async (cluster, ct) =>
            {
                // Given a primary whose second init script fails after the first created a table
                var primary = await cluster.AddPrimaryAsync(ct);
                var refusal = await Refusal.AwaitAsync(cluster, primary, ExitTimeout, ct);
                Assert.NotEqual(0L, refusal.ExitCode);
                Assert.Contains("02-broken.sh failed", Assert.Single(refusal.ErrorLines), StringComparison.Ordinal);

                // When the script is fixed and the container starts again on the same volume
                scripts.Write("02-broken.sh", "#!/bin/bash\nset -e\npsql -v ON_ERROR_STOP=1 --username \"$POSTGRES_USER\" -c 'INSERT INTO seeded VALUES (2)'\n");
                await primary.RecreateAsync(null, ct);
                await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

                // Then it said so and initialised from scratch: every init script ran once, on a fresh cluster
                Assert.Contains("first start of this primary did not finish", await primary.LogsAsync(200, ct), StringComparison.Ordinal);
                Assert.Equal("1,2", await primary.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id) FROM seeded", ct));
            });
    }

    [Fact]
    public async Task Primary_killed_during_its_first_initdb_is_initialised_anew_on_the_next_start()
    {
        // initdb, stopped the first time once it has written PG_VERSION and before the catalogs: the
        // half-made cluster a kill (OOM, host reboot) early in the first start leaves on the volume
        using var tools = new HostFolder().WriteProgram("initdb", """
            #!/bin/bash
            set -Eeuo pipefail
            real=/usr/lib/postgresql/$PG_MAJOR/bin/initdb
            [[ ! -e /tmp/initdb-stopped ]] || exec "$real" "$@"
            # In the background, with the entrypoint's stdin (the password) kept
            exec 3<&0
            "$real" "$@" <&3 &
            pid=$!
            until compgen -G "$PGDATA/PG_VERSION" >/dev/null || compgen -G "$PGDATA/*/PG_VERSION" >/dev/null; do
              kill -0 "$pid"
              sleep 0.01
            done
            kill -STOP "$pid"
            : >/tmp/initdb-stopped
            wait "$pid"
            """);
        await image.RunClusterAsync(
            output,
            options => options with
            {
                NodeContainers = new Dictionary<string, NodeContainerOptions> { ["primary"] = new() { Binds = [tools.BindAt("/test-tools")] } },
            },
            async (cluster, ct) =>
            {
                // Given a new primary whose first initdb has written PG_VERSION and no more
                var primary = await cluster.AddPrimaryAsync(
                    "primary",
                    new Dictionary<string, string?>
                    {
                        ["PATH"] = $"/test-tools:/usr/lib/postgresql/{image.PgVersion}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    },
                    ct);
                await Wait.UntilAsync(
                    "the first initdb to have written PG_VERSION",
                    async token =>
                    {
                        await primary.ThrowIfExitedAsync(token);
                        return (await ContainerExec.RunAsync(cluster.Engine, primary.ContainerId, ["test", "-e", "/tmp/initdb-stopped"], token)).ExitCode == 0;
                    },
                    TimeSpan.FromSeconds(60),
                    ct);

                // When the container is killed there and started again (docker kill, docker start)
                await cluster.Engine.Client.Containers.KillContainerAsync(primary.ContainerId, new Docker.DotNet.Models.ContainerKillParameters { Signal = "KILL" }, ct);
                await primary.WaitForExitAsync(ct);
                await primary.StartAsync(ct);
                await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

                // Then it said so, initialised anew with no manual step, and is a working primary with its replication role
                Assert.Contains("first start of this primary did not finish", await primary.LogsAsync(200, ct), StringComparison.Ordinal);
                Assert.True(await primary.ScalarAsync<bool>("SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'", ct));
                Assert.False(await primary.ScalarAsync<bool>("SELECT pg_is_in_recovery()", ct));
            });
    }

    [Fact]
    public Task Environment_is_checked_once_so_each_notice_is_said_once() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary with the old WAL_KEEP_SEGMENTS and trust (each gives a notice), started as root
        var primary = await cluster.AddPrimaryAsync(
            "primary",
            new Dictionary<string, string?> { ["WAL_KEEP_SEGMENTS"] = "32", ["POSTGRES_HOST_AUTH_METHOD"] = "trust" },
            ct);

        // When it has started (as root, then again as postgres)
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);

        // Then each notice was said exactly once, and the converted size is the server's setting
        var lines = (await primary.LogsAsync(500, ct)).Split('\n');
        Assert.Single(lines, line => line.Contains("notice: WAL_KEEP_SEGMENTS=32 converted to WAL_KEEP_SIZE=512MB", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("WAL_KEEP_SEGMENTS is ignored", StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains("notice: POSTGRES_HOST_AUTH_METHOD=trust", StringComparison.Ordinal));
        Assert.Equal("512MB", await primary.ScalarAsync<string>("SHOW wal_keep_size", ct));
    });
}
