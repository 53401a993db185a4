using BuildRunner;
using Docker.DotNet.Models;
using Npgsql;
using NpgsqlTypes;
using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>
/// docker/compose/docker-compose.yml as a user runs it, with the Compose <see cref="ComposeCommand"/>
/// chooses: v2 where its plugin is installed (GitHub's runners), v1 where it is not (Debian bookworm).
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class ComposeTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Compose_file_comes_up_healthy_and_replicates_to_both_standbys()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var ct = deadline.Token;
        var compose = await ComposeCommand.DetectAsync(ct);
        output.WriteLine($"compose: {compose}");
        await using var project = ComposeProject.Replication(
            compose, RepositoryRoot.Combine("docker", "compose"), image.NewRunId(), image.Image, image.Layout.DataVolumePath);
        try
        {
            // Given the compose file brought up with generated secrets
            var up = await project.RunAsync(["up", "-d", "--no-build"], ct);
            Assert.True(up.ExitCode == 0, $"{compose} up failed: {up}");

            // Then all three services become healthy
            await WaitUntilAllHealthyAsync(project, ct);

            // When a row is written on the primary
            await using var primary = new NpgsqlConnection(project.ConnectionString("primary"));
            await primary.OpenAsync(ct);
            await using (var write = new NpgsqlCommand("CREATE TABLE compose_check (note text); INSERT INTO compose_check VALUES ('from compose')", primary))
            {
                await write.ExecuteNonQueryAsync(ct);
            }

            await using var position = new NpgsqlCommand("SELECT pg_current_wal_lsn()", primary);
            var written = (NpgsqlLogSequenceNumber)(await position.ExecuteScalarAsync(ct))!;

            // Then both standbys read it
            foreach (var standby in new[] { "standby-1", "standby-2" })
            {
                await using var connection = new NpgsqlConnection(project.ConnectionString(standby));
                await connection.OpenAsync(ct);
                await Wait.UntilAsync(
                    $"{standby} to replay WAL up to {written}",
                    async token =>
                    {
                        await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn()", connection);
                        var at = await replayed.ExecuteScalarAsync(token) as NpgsqlLogSequenceNumber?;
                        return at >= written ? Probe<bool>.Done(true) : Probe<bool>.NotYet($"replayed up to {at}");
                    },
                    TimeSpan.FromSeconds(30),
                    ct);
                await using var read = new NpgsqlCommand("SELECT note FROM compose_check", connection);
                Assert.Equal("from compose", await read.ExecuteScalarAsync(ct));
            }
        }
        catch
        {
            output.WriteLine((await project.RunAsync(["logs", "--no-color", "--tail=50"], CancellationToken.None)).ToString());
            throw;
        }
    }

    private Task WaitUntilAllHealthyAsync(ComposeProject project, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{string.Join(", ", ComposeProject.Services)} of {project.Name} to be healthy",
            async token =>
            {
                var containers = await image.Engine.Client.Containers.ListContainersAsync(
                    new ContainersListParameters
                    {
                        All = true,
                        Filters = new Dictionary<string, IDictionary<string, bool>>
                        {
                            ["label"] = new Dictionary<string, bool> { [$"com.docker.compose.project={project.Name}"] = true },
                        },
                    },
                    token);
                var states = containers
                    .Select(c => $"{c.Labels["com.docker.compose.service"]}: {c.Status}")
                    .Order(StringComparer.Ordinal)
                    .ToList();
                var healthy = containers.Count(c => c.Status.Contains("(healthy)", StringComparison.Ordinal));
                return healthy == ComposeProject.Services.Length
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet(states.Count == 0 ? "no containers" : string.Join("; ", states));
            },
            Timeout,
            ct);
}
