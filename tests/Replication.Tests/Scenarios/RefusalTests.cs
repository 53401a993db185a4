using Npgsql;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// Bad input: the container exits non-zero with one line naming the cause, and PGDATA is left
/// as it was (empty for a new volume; byte for byte the same for existing data).
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class RefusalTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Unknown_role_is_refused_and_the_volume_stays_empty() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a node started with a role the image does not know
        var node = await cluster.AddPrimaryAsync("node", new Dictionary<string, string?> { ["REPLICATION_ROLE"] = "replica" }, ct);

        // When it starts
        var refusal = await Refusal.AwaitAsync(cluster, node, ExitTimeout, ct);
        // Then it exits naming the variable, and wrote nothing
        AssertRefused(refusal, "REPLICATION_ROLE='replica'");
        await AssertVolumeHoldsNoFilesAsync(cluster, node, ct);
    });

    [Theory]
    [InlineData("fast", "is not a transfer rate")]
    [InlineData("2G", "is not a transfer rate")]
    [InlineData("16k", "is out of range")]
    public Task Bad_clone_rate_is_refused_and_the_volume_stays_empty(string rate, string reason) => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a running primary and a new standby with a CLONE_MAX_RATE pg_basebackup would not take
        var primary = await cluster.AddPrimaryAsync(ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        var standby = await cluster.AddStandbyAsync("standby-1", primary, new Dictionary<string, string?> { ["CLONE_MAX_RATE"] = rate }, ct);

        // When it starts
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);

        // Then it exits naming the variable and the cause before it clones anything
        AssertRefused(refusal, $"CLONE_MAX_RATE='{rate}' {reason}");
        await AssertVolumeHoldsNoFilesAsync(cluster, standby, ct);
    });

    [Fact]
    public Task Standby_without_replication_password_is_refused_and_the_volume_stays_empty() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a new standby without REPLICATION_PASSWORD (a primary runs without one, closed to replication)
        var node = await cluster.AddPrimaryAsync(
            "node",
            new Dictionary<string, string?>
            {
                ["REPLICATION_ROLE"] = "standby",
                ["PRIMARY_HOST"] = "primary",
                ["REPLICATION_PASSWORD"] = null,
            },
            ct);

        // When it starts
        var refusal = await Refusal.AwaitAsync(cluster, node, ExitTimeout, ct);

        // Then it exits naming the variable, and wrote nothing
        AssertRefused(refusal, "REPLICATION_PASSWORD is not set");
        await AssertVolumeHoldsNoFilesAsync(cluster, node, ct);
    });

    [Theory]
    [InlineData("primary", "MAX_SLOT_WAL_KEEP_SIZE", "lots", "MAX_SLOT_WAL_KEEP_SIZE='lots' is not a size")]
    [InlineData("primary", "WAL_KEEP_SIZE", "1GB'; fsync = 'off", "is not a size")]
    [InlineData("primary", "SYNCHRONOUS_COMMIT", "bogus", "SYNCHRONOUS_COMMIT='bogus' is not a level")]
    [InlineData("primary", "REPLICATION_ALLOWED_CIDR", "999.1.1.1/99", "'999.1.1.1/99', which is not an address range")]
    [InlineData("primary", "REPLICATION_ALLOWED_CIDR", "10.0.0.0/33", "'10.0.0.0/33', which is not an address range")]
    [InlineData("primary", "MAX_CONNECTIONS", "08", "MAX_CONNECTIONS='08' is not a whole number")]
    [InlineData("standby", "PRIMARY_WAIT_TIMEOUT", "08", "PRIMARY_WAIT_TIMEOUT='08' is not a whole number")]
    [InlineData("standby", "PRIMARY_PORT", "70000", "PRIMARY_PORT=70000 is out of range")]
    [InlineData("standby", "PRIMARY_HOST", "pri'mary", "is not a host name or an IP address")]
    [InlineData("primary", "POSTGRES_USER", "app\"user", "contains a double quote")]
    [InlineData("primary", "REPLICATION_USER", "pg_replicator", "REPLICATION_USER 'pg_replicator': names starting with pg_ are reserved")]
    [InlineData("primary", "REPLICATION_USER", "public", "REPLICATION_USER 'public' is a reserved role name")]
    [InlineData("primary", "SYNCHRONOUS_STANDBY_NAMES", "FIRST 1 (\"standby-1\")", "names 'standby-1', which no standby of this image can match")]
    [InlineData("primary", "SYNCHRONOUS_STANDBY_NAMES", "FIRST 2 (standby_1)", "waits for 2 standbys but names 1")]
    [InlineData("primary", "POSTGRES_HOST_AUTH_METHOD", "ident", "POSTGRES_HOST_AUTH_METHOD='ident' is not supported")]
    [InlineData("primary", "POSTGRES_INITDB_WALDIR", "wal", "POSTGRES_INITDB_WALDIR='wal' is not an absolute path")]
    [InlineData("primary", "WAL_KEEP_SIZE", "9999999999TB", "WAL_KEEP_SIZE='9999999999TB' is out of range")]
    [InlineData("primary", "MAX_SLOT_WAL_KEEP_SIZE", "9999999999TB", "MAX_SLOT_WAL_KEEP_SIZE='9999999999TB' is out of range")]
    [InlineData("primary", "MAX_WAL_SENDERS", "262143", "MAX_WAL_SENDERS=262143 is out of range")]
    [InlineData("primary", "MAX_CONNECTIONS", "262143", "MAX_CONNECTIONS=262143 is out of range")]
    [InlineData("primary", "MAX_CONNECTIONS", "1", "MAX_CONNECTIONS=1 leaves no connection")]
    [InlineData("primary", "POSTGRES_USER", "o'brien", "POSTGRES_USER 'o'brien' contains a quote")]
    [InlineData("primary", "PEERS", "*", "PEERS has '*'")]
    [InlineData("primary", "REPLICATION_ALLOWED_CIDR", "*", "REPLICATION_ALLOWED_CIDR has '*'")]
    [InlineData("primary", "PGDATA", "/", "PGDATA='/' is not an absolute path below /")]
    [InlineData("primary", "PGDATA", "relative/data", "PGDATA='relative/data' is not an absolute path below /")]
    [InlineData("standby", "CLONE_MAX_RATE", "032k", "CLONE_MAX_RATE='032k' is not a transfer rate")]
    [InlineData("primary", "REPLICATION_ROLE", "primary\nstandby", "REPLICATION_ROLE='primary\\nstandby' is not a role")]
    public Task Malformed_value_is_refused_before_anything_is_written(string role, string variable, string value, string reason) =>
        image.RunClusterAsync(output, async (cluster, ct) =>
        {
            // Given a new node of this role with one variable the image cannot use as it is
            var environment = new Dictionary<string, string?>
            {
                ["REPLICATION_ROLE"] = role,
                ["PRIMARY_HOST"] = role == "standby" ? "primary" : null,
                [variable] = value,
            };
            var node = await cluster.AddPrimaryAsync("node", environment, ct);

            // When it starts
            var refusal = await Refusal.AwaitAsync(cluster, node, ExitTimeout, ct);

            // Then it exits with one line naming the variable and the cause, before initdb or a clone
            AssertRefused(refusal, reason);
            await AssertVolumeHoldsNoFilesAsync(cluster, node, ct);
        });

    [Fact]
    public async Task Password_file_that_is_not_utf8_is_refused_and_the_volume_stays_empty()
    {
        using var secrets = new HostFolder().Write("replication-password", [0x70, 0xE9, 0xFF, 0x77, 0x0A]);
        await image.RunClusterAsync(
            output,
            options => options with
            {
                NodeContainers = new Dictionary<string, NodeContainerOptions>
                {
                    ["primary"] = new() { Binds = [secrets.BindAt("/run/secrets")] },
                },
            },
            async (cluster, ct) =>
            {
                // Given a primary whose replication password file holds bytes that are not UTF-8
                var primary = await cluster.AddPrimaryAsync(
                    "primary",
                    new Dictionary<string, string?>
                    {
                        ["REPLICATION_PASSWORD"] = null,
                        ["REPLICATION_PASSWORD_FILE"] = "/run/secrets/replication-password",
                    },
                    ct);

                // Then it refuses before initdb instead of creating a role no standby can log in as
                var refusal = await Refusal.AwaitAsync(cluster, primary, ExitTimeout, ct);
                AssertRefused(refusal, "REPLICATION_PASSWORD is not valid UTF-8");
                await AssertVolumeHoldsNoFilesAsync(cluster, primary, ct);
            });
    }

    [Fact]
    public Task Base_backup_restored_by_another_tool_is_refused_and_left_unchanged() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a standby's volume that now holds a base backup another tool restored: backup_label
        // with that tool's label, no manifest (pg_basebackup --no-manifest, pgBackRest), recovery.signal
        var (_, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        await standby.StopAsync(ct);
        var pgdata = image.Layout.PgData ?? throw new InvalidOperationException("the test image sets no PGDATA");
        await ChangeVolumeAsync(cluster, standby, image.Layout.DataVolumePath, $"""
            cd '{pgdata}'
            mv backup_label.old backup_label
            sed -i 's/^LABEL: .*/LABEL: pgbackrest backup 20261201-120000F/' backup_label
            rm -f backup_manifest standby.signal
            touch recovery.signal
            chown postgres:postgres backup_label recovery.signal
            """, ct);
        var before = await DataDirectorySnapshot.TakeAsync(cluster.Engine, standby.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.Contains(before.Files, file => file.EndsWith("/backup_label", StringComparison.Ordinal) || file == "backup_label");

        // When the standby starts on it
        await standby.StartAsync(ct);

        // Then it refuses naming what it found, and every file is as it was
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);
        AssertRefused(refusal, "holds a base backup this image did not make (backup_label 'pgbackrest backup 20261201-120000F')");
        var after = await DataDirectorySnapshot.TakeAsync(cluster.Engine, standby.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.Empty(before.DifferencesFrom(after));
    });

    [Theory]
    [InlineData(null)]
    // The base has no locale but English ones; gettext's LANGUAGE still makes the server speak
    // German, as a primary with lc_messages=de_DE would: the refusal must not depend on its words.
    [InlineData("de")]
    public Task Wrong_replication_password_is_refused_at_once_and_the_volume_stays_empty(string? serverLanguage) => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a running primary (in the given language) and a new standby with another replication password
        var primary = await cluster.AddPrimaryAsync("primary", new Dictionary<string, string?> { ["LANGUAGE"] = serverLanguage }, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        var wrong = new NpgsqlConnectionStringBuilder(primary.ConnectionString) { Password = ClusterOptions.NewPassword() };
        await using (var connection = new NpgsqlConnection(wrong.ConnectionString))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(ct));
            Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
            Assert.Equal(serverLanguage is null, error.MessageText.Contains("password authentication failed", StringComparison.Ordinal));
        }

        var standby = await cluster.AddStandbyAsync(
            "standby-1", primary, new Dictionary<string, string?> { ["REPLICATION_PASSWORD"] = ClusterOptions.NewPassword() }, ct);

        // When it reaches the primary
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);

        // Then it exits at once, not after retrying until the 120 s PRIMARY_WAIT_TIMEOUT, and wrote nothing
        AssertRefused(refusal, "REPLICATION_PASSWORD must match");
        Assert.Contains("SQLSTATE 28P01", refusal.ErrorLines[0], StringComparison.Ordinal);
        Assert.True(refusal.RanFor < TimeSpan.FromSeconds(20), $"the refusal came after {refusal.RanFor.TotalSeconds:0.0} s");
        await AssertVolumeHoldsNoFilesAsync(cluster, standby, ct);
    });

    [Fact]
    public Task Unreachable_primary_is_refused_after_the_wait_timeout_and_the_volume_stays_empty() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a new standby whose primary address has no server (its own loopback, before its own server starts)
        var standby = await cluster.AddPrimaryAsync(
            "standby-1",
            new Dictionary<string, string?>
            {
                ["REPLICATION_ROLE"] = "standby",
                ["PRIMARY_HOST"] = "127.0.0.1",
                ["PRIMARY_WAIT_TIMEOUT"] = "3",
                ["POSTGRES_PASSWORD"] = null,
            },
            ct);

        // When its 3 s PRIMARY_WAIT_TIMEOUT passes
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);

        // Then it exits naming the address and the variable, and wrote nothing
        AssertRefused(refusal, "primary 127.0.0.1:5432 still unreachable after 3 s");
        Assert.True(refusal.RanFor >= TimeSpan.FromSeconds(3), $"it gave up after {refusal.RanFor.TotalSeconds:0.0} s");
        Assert.Contains("PRIMARY_WAIT_TIMEOUT", refusal.ErrorLines[0], StringComparison.Ordinal);
        await AssertVolumeHoldsNoFilesAsync(cluster, standby, ct);
    });

    [Fact]
    public Task Data_directory_of_another_cluster_is_refused_and_left_unchanged() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a standby cloned from primary A, stopped, and another primary B (its own initdb)
        var (primaryA, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        var primaryB = await cluster.AddPrimaryAsync("primary-b", null, ct);
        await primaryA.ExecuteAsync("CREATE TABLE kept (id int); INSERT INTO kept VALUES (1);", ct);
        await WalReplay.CatchUpAsync(primaryA, standby, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primaryB, ct);
        await standby.StopAsync(ct);
        var before = await DataDirectorySnapshot.TakeAsync(cluster.Engine, standby.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.NotEmpty(before.Files);

        // When it is recreated on its volume with PRIMARY_HOST = primary B
        await standby.RecreateAsync(new Dictionary<string, string?> { ["PRIMARY_HOST"] = "primary-b" }, ct);

        // Then it refuses, and not one file of its data directory changed
        var refusal = await Refusal.AwaitAsync(cluster, standby, ExitTimeout, ct);
        AssertRefused(refusal, "belongs to another cluster");
        var after = await DataDirectorySnapshot.TakeAsync(cluster.Engine, standby.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.Empty(before.DifferencesFrom(after));
    });

    [Fact]
    public Task Data_below_a_directory_postgres_cannot_enter_is_refused_naming_that_directory() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary whose PGDATA lies below a directory of the volume, which a restore made root's and 0700
        var volume = image.Layout.DataVolumePath;
        var primary = await cluster.AddPrimaryAsync("primary", new Dictionary<string, string?> { ["PGDATA"] = $"{volume}/restore/data" }, ct);
        await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
        await primary.StopAsync(ct);
        await ChangeVolumeAsync(cluster, primary, volume, $"chown root:root {volume}/restore && chmod 0700 {volume}/restore", ct);
        var before = await DataDirectorySnapshot.TakeAsync(cluster.Engine, primary.ContainerId, volume, ct);

        // When it starts again
        await primary.StartAsync(ct);
        var refusal = await Refusal.AwaitAsync(cluster, primary, ExitTimeout, ct);

        // Then the refusal names that directory and what lets the server's user in, and no file changed
        AssertRefused(refusal, $"is below {volume}/restore, which uid 999 (the server's user) may not enter");
        Assert.Contains($"chmod o+x {volume}/restore", refusal.ErrorLines[0], StringComparison.Ordinal);
        Assert.Empty(before.DifferencesFrom(await DataDirectorySnapshot.TakeAsync(cluster.Engine, primary.ContainerId, volume, ct)));
    });

    /// <summary>A non-zero exit and exactly one error line, which names the cause.</summary>
    private void AssertRefused(Refusal refusal, string reason)
    {
        output.WriteLine($"exit code {refusal.ExitCode}: {string.Join(" | ", refusal.ErrorLines)}");
        Assert.NotEqual(0L, refusal.ExitCode);
        var line = Assert.Single(refusal.ErrorLines);
        Assert.Contains(reason, line, StringComparison.Ordinal);
    }

    /// <summary>Runs a bash script as root against a stopped node's volume, mounted where the node has it.</summary>
    private static async Task ChangeVolumeAsync(
        ReplicationCluster cluster, PostgresNode node, string volumePath, string script, CancellationToken ct)
    {
        var result = await OneOffContainer.RunAsync(cluster, ["bash", "-Eeuo", "pipefail", "-c", script], [$"{node.VolumeName}:{volumePath}"], ct);
        Assert.True(result.ExitCode == 0, $"changing {node.Name}'s volume failed ({result.ExitCode}): {result.Output}");
    }

    private async Task AssertVolumeHoldsNoFilesAsync(ReplicationCluster cluster, PostgresNode node, CancellationToken ct)
    {
        var snapshot = await DataDirectorySnapshot.TakeAsync(cluster.Engine, node.ContainerId, image.Layout.DataVolumePath, ct);
        Assert.Empty(snapshot.Files);
    }
}
