using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// After a promotion, nodes whose history left the new primary's rejoin it by pg_rewind on their
/// own volumes, or refuse with one line; a former primary never runs as a second primary next to
/// a peer that was promoted after it.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class RejoinTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Standby_that_was_ahead_of_the_promoted_one_is_rewound_instead_of_looping() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given standby-1 cut off from the network while standby-2 receives rows it never gets
        var (primary, standbys) = await ClusterSetup.StartWithStandbysAsync(cluster, output, ["standby-1", "standby-2"], ct);
        var (behind, ahead) = (standbys[0], standbys[1]);
        await primary.ExecuteAsync("CREATE TABLE events (id int PRIMARY KEY)", ct);
        await WalReplay.CatchUpAsync(primary, standbys, ct);
        await behind.DisconnectAsync(ct);
        await primary.ExecuteAsync("INSERT INTO events SELECT g FROM generate_series(1, 100) g", ct);
        await WalReplay.CatchUpAsync(primary, ahead, ct);

        // When the primary is lost and standby-1 (the one behind) is promoted
        await primary.KillAsync(ct);
        await behind.ReconnectAsync(ct);
        Assert.True(await behind.ScalarAsync<bool>("SELECT pg_promote()", ct), "pg_promote() did not finish");
        await behind.ExecuteAsync("INSERT INTO events VALUES (1000)", ct);

        // And standby-2, which has the 100 rows the new primary lacks, is pointed at it
        await ahead.RecreateAsync(new Dictionary<string, string?> { ["PRIMARY_HOST"] = behind.Name }, ct);

        // Then it is rewound, streams from the new primary, and serves exactly its rows
        output.WriteLine((await Probes.WaitUntilStreamingAsync(behind, ahead, ct)).ToString());
        await WalReplay.CatchUpAsync(behind, ahead, ct);
        Assert.Contains("rewinding", await ahead.LogsAsync(200, ct), StringComparison.Ordinal);
        var expected = await TableChecksum.OfAsync(behind, "events", ct);
        Assert.StartsWith("1 rows", expected);
        Assert.Equal(expected, await TableChecksum.OfAsync(ahead, "events", ct));
    });

    [Fact]
    public Task Former_primary_next_to_a_promoted_peer_is_refused_and_rejoins_as_a_standby() => image.RunClusterAsync(
        output,
        NodeEnvironment.For("primary", ("PEERS", "standby-1")),
        async (cluster, ct) =>
        {
            // Given a primary that knows its peer standby-1, lost, and standby-1 promoted with a row of its own
            var (primary, standby) = await ClusterSetup.FailOverByHandAsync(cluster, output, ct);

            // And the former primary comes back as a primary
            await primary.RecreateAsync(null, ct);

            // Then it refuses, naming the promoted peer and the command that rejoins it instead
            var refusal = await Refusal.AwaitAsync(cluster, primary, ExitTimeout, ct);
            var line = Assert.Single(refusal.ErrorLines);
            Assert.Contains("peer standby-1:5432 is already the primary of this cluster on timeline 2", line, StringComparison.Ordinal);
            Assert.Contains("REPLICATION_ROLE=standby PRIMARY_HOST=standby-1", line, StringComparison.Ordinal);

            // When it is started as that command says, Then it is rewound, on its own volume, and follows standby-1
            var systemId = await standby.ScalarAsync<string>("SELECT system_identifier::text FROM pg_control_system()", ct);
            await primary.RecreateAsync(new Dictionary<string, string?> { ["REPLICATION_ROLE"] = "standby", ["PRIMARY_HOST"] = "standby-1" }, ct);
            output.WriteLine((await Probes.WaitUntilStreamingAsync(standby, primary, ct)).ToString());
            await WalReplay.CatchUpAsync(standby, primary, ct);
            Assert.Equal("1,2", await primary.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id) FROM events", ct));
            Assert.Equal(systemId, await primary.ScalarAsync<string>("SELECT system_identifier::text FROM pg_control_system()", ct));
            Assert.DoesNotContain("cloning", await primary.LogsAsync(200, ct), StringComparison.Ordinal);
        });

    [Fact]
    public Task Primary_whose_peer_does_not_answer_starts_and_names_the_peer_it_could_not_check() => image.RunClusterAsync(
        output,
        NodeEnvironment.For("primary", ("PEERS", "standby-1")),
        async (cluster, ct) =>
        {
            // Given a primary that knows its peer standby-1, stopped while standby-1 is frozen
            var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
            await primary.StopAsync(ct);
            await cluster.Engine.Client.Containers.PauseContainerAsync(standby.ContainerId, ct);
            try
            {
                // When the primary starts again
                await primary.StartAsync(ct);

                // Then it runs (a guard without a quorum cannot fence), and says which peer it could not ask
                await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
                Assert.False(await primary.IsInRecoveryAsync(ct));
                var notice = Assert.Single((await primary.LogsAsync(60, ct)).Split('\n'), line => line.Contains("PEERS: could not check", StringComparison.Ordinal));
                Assert.Contains("could not check peer standby-1:5432 (", notice, StringComparison.Ordinal);
                Assert.Contains("timeout", notice, StringComparison.Ordinal);
            }
            finally
            {
                await cluster.Engine.Client.Containers.UnpauseContainerAsync(standby.ContainerId, CancellationToken.None);
            }
        });

    [Fact]
    public Task Former_primary_without_checksums_or_wal_log_hints_is_refused_and_left_unchanged() => image.RunClusterAsync(
        output,
        options => options with
        {
            // A cluster made without either, as before this image set wal_log_hints (18 checksums by default).
            ServerSettings = new Dictionary<string, string> { ["wal_log_hints"] = "off" },
            NodeEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string?>>
            {
                ["primary"] = new Dictionary<string, string?> { ["POSTGRES_INITDB_ARGS"] = image.PgVersion >= 18 ? "--no-data-checksums" : null },
            },
        },
        async (cluster, ct) =>
        {
            // Given a failed-over cluster whose former primary has neither data checksums nor wal_log_hints
            var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
            Assert.Equal(0, await primary.ScalarAsync<int>("SELECT data_page_checksum_version FROM pg_control_init()", ct));
            await primary.KillAsync(ct);
            Assert.True(await standby.ScalarAsync<bool>("SELECT pg_promote()", ct), "pg_promote() did not finish");
            var before = await DataDirectorySnapshot.TakeAsync(cluster.Engine, primary.ContainerId, image.Layout.DataVolumePath, ct);

            // When it is started as a standby of the promoted one
            await primary.RecreateAsync(new Dictionary<string, string?> { ["REPLICATION_ROLE"] = "standby", ["PRIMARY_HOST"] = "standby-1" }, ct);

            // Then it refuses, saying why and how to start over, and not one file changed
            var refusal = await Refusal.AwaitAsync(cluster, primary, ExitTimeout, ct);
            Assert.Contains("cannot be rewound: it has neither data checksums nor wal_log_hints", Assert.Single(refusal.ErrorLines), StringComparison.Ordinal);
            var after = await DataDirectorySnapshot.TakeAsync(cluster.Engine, primary.ContainerId, image.Layout.DataVolumePath, ct);
            Assert.Empty(before.DifferencesFrom(after));
        });
}
