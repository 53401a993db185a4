using BuildRunner;
using PostgresReplication;

/// <summary>A long-lived primary and standbys for local work: Up starts them, Down removes them.</summary>
sealed partial class Build
{
    static readonly RunId LocalRun = new("local");

    string LocalPassfile => Path.Combine(TempDirectory, "local-cluster.pgpass");

    Target Up => _ => _
        .Description("Starts a primary and --standbys standbys that keep running; prints how to connect")
        .DependsOn(BuildImage)
        .Triggers(Stop)
        .Executes(async ct =>
        {
            var existing = await ContainerLogDump.ForRunAsync(await EngineAsync(ct), LocalRun, 0, ct);
            if (!existing.StartsWith("(no containers", StringComparison.Ordinal))
            {
                throw new BuildFailedException("a local cluster is already up; ./build.sh Down removes it (and its data)");
            }

            await StartPrimaryAsync(LocalRun, ct);
            await StartStandbysAsync(ct);
            keepCluster = true;
            var options = cluster!.Options;
            Directory.CreateDirectory(TempDirectory);
            File.WriteAllText(LocalPassfile, $"127.0.0.1:*:*:{options.SuperuserName}:{options.SuperuserPassword}\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(LocalPassfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            foreach (var node in cluster.Nodes)
            {
                Log.Info($"{node.Name,-10} postgresql://{options.SuperuserName}@127.0.0.1:{node.HostPort}/{options.Database}");
            }

            Log.Info($"the password is in {LocalPassfile}: PGPASSFILE={LocalPassfile} psql -h 127.0.0.1 -p {Primary.HostPort} -U {options.SuperuserName}");
            Log.Info("./build.sh Down removes them");
        });

    Target Down => _ => _
        .Description("Stops the cluster that Up started, each server with a clean shutdown, then removes it with its data")
        .Executes(async ct =>
        {
            // Unlike Stop's throwaway test cluster, a cluster someone worked with ends as a server
            // should: checkpointed, standbys told, its last log lines those of a clean shutdown.
            var stopped = await Janitor.StopAsync(await EngineAsync(ct), LocalRun, TimeSpan.FromSeconds(30), ct);
            if (stopped > 0)
            {
                Log.Info($"stopped {stopped} server(s) with a clean shutdown");
            }

            var report = await Janitor.SweepAsync(await EngineAsync(ct), LocalRun, ct);
            File.Delete(LocalPassfile);
            Log.Info(report.Total == 0 ? "no local cluster was running" : $"local cluster: {report}");
        });
}
