using System.Diagnostics;
using BuildRunner;
using PostgresReplication;

/// <summary>
/// High availability: the HA image (docker/ha/, tagged {image}:{pg-version}-ha, built on the plain
/// image) and HaTest, which shows Patroni failing over by itself and the old leader rejoining by
/// pg_rewind on its own volume.
/// </summary>
sealed partial class Build
{
    string HaImageTag => $"{ImageTag}-ha";

    string HaDockerDirectory => Path.Combine(DockerDirectory, "ha");

    Target BuildHaImage => _ => _
        .Description("Builds docker/ha/ on the plain image, tagged {image}:{pg-version}-ha: Patroni, etcd and HAProxy from the base's Debian suite")
        .DependsOn(BuildImage)
        .Executes(async ct =>
        {
            var clock = Stopwatch.StartNew();
            var request = new ImageBuildRequest(HaDockerDirectory, [HaImageTag])
            {
                BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = ImageTag },
            };
            var built = await new ImageBuilder(await EngineAsync(ct)).BuildUnlessUpToDateAsync(request, ShowBuildStep, ct);
            Log.Info(built
                ? $"built {HaImageTag} on {ImageTag} in {clock.Elapsed.TotalSeconds:0.0} s"
                : $"{HaImageTag} is up to date: docker/ha/ and {ImageTag} are what it was built from; nothing built");
        });

    Target HaTest => _ => _
        .Description("Etcd, three Patroni members and HAProxy: a leader is elected, rows reach every member, the leader's container is killed, a new leader is elected by Patroni alone and takes writes through HAProxy, the old leader rejoins by pg_rewind, rows are on every member again")
        .DependsOn(BuildHaImage)
        .Executes(async ct =>
        {
            await using var ha = await HaCluster.CreateAsync(await EngineAsync(ct), HaOptions(), Log.Info, ct);
            await ShowingHaLogsOnFailure(ha, async () =>
            {
                await new HaScenario(ha, Log.Info).RunAsync(ct);
                return true;
            });
        });

    /// <summary>What every HA target's cluster starts from: the HA image built here and the run's wait timeout.</summary>
    HaClusterOptions HaOptions() => new() { Image = HaImageTag, WaitTimeout = TimeSpan.FromSeconds(WaitTimeout) };

    /// <summary>A failing HA step prints what the containers said before the cluster is removed.</summary>
    static async Task<T> ShowingHaLogsOnFailure<T>(HaCluster ha, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Error("last lines of each container:");
            Log.Error(await ha.DumpLogsAsync(40, CancellationToken.None));
            if (e is WaitTimeoutException or ContainerExitedException or HaScenarioException)
            {
                throw new BuildFailedException(e.Message, e);
            }

            throw;
        }
    }
}
