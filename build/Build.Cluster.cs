using System.Diagnostics;
using BuildRunner;
using PostgresReplication;
using PostgresReplication.Benchmarks;

sealed partial class Build
{
    ReplicationCluster? cluster;
    PostgresNode? primary;
    readonly List<PostgresNode> standbys = [];
    Task<PostgresNode[]>? startingStandbys;
    readonly Stopwatch cycle = new();
    bool keepCluster;

    PostgresNode Primary => primary ?? throw new InvalidOperationException("StartPrimary has not run.");

    Target StartPrimary => _ => _
        .Description("Creates a private network and the primary; waits until it accepts connections")
        .DependsOn(BuildImage)
        .Triggers(Stop)
        .Executes(ct => StartPrimaryAsync(RunId.New(), ct));

    Target StartStandby => _ => _
        .Description("Starts --standbys standbys; waits until each streams from the primary")
        .DependsOn(StartPrimary)
        .Executes(StartStandbysAsync);

    Target Seed => _ => _
        .Description("Creates the tutorial's table replication_test on the primary and writes --rows rows")
        .DependsOn(StartPrimary)
        .After(StartStandby)
        .Executes(async ct => await ShowingLogsOnFailure(async () =>
        {
            await Primary.ExecuteAsync(SeedData.Sql(Rows), ct);
            Log.Info($"seeded {Rows} row(s) into {SeedData.Table}; primary at LSN {await Primary.CurrentWalLsnAsync(ct)}");
        }));

    Target AssertReplication => _ => _
        .Description("Waits until each standby replayed the primary's WAL, then compares row count and checksum of replication_test")
        .DependsOn(Seed, StartStandby)
        .After(Switchover, Failover)
        .Executes(async ct => await ShowingLogsOnFailure(async () =>
        {
            // The primary's position now, not the seed's: after a role change it is another node.
            var written = await Primary.CurrentWalLsnAsync(ct);
            var expected = await TableChecksum.OfAsync(Primary, SeedData.Table, ct);
            foreach (var standby in standbys)
            {
                await Probes.WaitForReplayAsync(standby, written, ct);
                var actual = await TableChecksum.OfAsync(standby, SeedData.Table, ct);
                if (actual != expected)
                {
                    throw new BuildFailedException(
                        $"{standby.Name} has {SeedData.Table} with {actual}, the primary {Primary.Name} with {expected}");
                }

                Log.Info($"{standby.Name} has the same {SeedData.Table} as {Primary.Name}: {actual}");
            }

            cycle.Stop();
            Log.Info(CommandOutput.CycleLine(cycle.Elapsed));
        }));

    Target Test => _ => _
        .Description("Builds the image, starts a primary and standbys, seeds, asserts replication, cleans up")
        .DependsOn(AssertReplication)
        .Triggers(Stop);

    Target Stop => _ => _
        .Description("Removes the containers, volumes and network this run started (also after a failure or Ctrl-C)")
        .After(AssertReplication, Test, Up, BackupTest, Restore)
        .AssuredAfterFailure()
        .OnlyWhen(() => cluster is not null && !keepCluster)
        .Executes(async ct =>
        {
            // Standby containers still being created would escape the sweep below.
            if (startingStandbys is { } pending)
            {
                await pending.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            await using (cluster)
            {
                Log.Info($"removing run {cluster!.RunId}");
            }

            cluster = null;
        });

    Target Clean => _ => _
        .Description("Removes every container, network and volume that runs of this project left behind (by label)")
        .Before(BaseImage)
        .Executes(async ct =>
        {
            var report = await Janitor.SweepAsync(await EngineAsync(ct), run: null, ct);
            Log.Info(report.Total == 0 ? "nothing to clean" : report.ToString());
        });

    async Task StartPrimaryAsync(RunId run, CancellationToken ct)
    {
        if (Standbys < 0 || Rows < 1)
        {
            throw new BuildFailedException("--standbys must be 0 or more and --rows 1 or more");
        }

        CheckRoleChangeParameters();
        CheckBackupParameters();

        cycle.Start();
        var options = WithBackups(new ClusterOptions { Image = ImageTag, RunId = run, WaitTimeout = TimeSpan.FromSeconds(WaitTimeout) });
        cluster = await ReplicationCluster.CreateAsync(await EngineAsync(ct), options, Log.Debug, ct);
        await ShowingLogsOnFailure(async () =>
        {
            primary = await cluster.AddPrimaryAsync("primary", ParseEnvironment(PrimaryEnv, "--primary-env"), ct);
            if (IsScheduled(nameof(StartStandby)) || IsScheduled(nameof(Up)))
            {
                // A standby waits for its primary by itself, so its container (a third of a second
                // to start) and entrypoint start while the primary initialises.
                startingStandbys = AddStandbyContainersAsync(ct);
            }

            await Probes.WaitUntilAcceptingConnectionsAsync(primary, ct);
            Log.Info(CommandOutput.PrimaryReadyLine(primary.Name, primary.HostPort, cycle.Elapsed));
        });
    }

    Task<PostgresNode[]> AddStandbyContainersAsync(CancellationToken ct)
    {
        var environment = ParseEnvironment(StandbyEnv, "--standby-env");
        return Task.WhenAll(Enumerable.Range(1, Standbys)
            .Select(i => cluster!.AddStandbyAsync($"standby-{i}", Primary, environment, ct)));
    }

    async Task StartStandbysAsync(CancellationToken ct) => await ShowingLogsOnFailure(async () =>
    {
        var started = await (startingStandbys ?? AddStandbyContainersAsync(ct));
        startingStandbys = null;
        standbys.AddRange(started);
        foreach (var standby in standbys)
        {
            var status = await Probes.WaitUntilStreamingAsync(Primary, standby, ct);
            Log.Info($"{status} after {cycle.Elapsed.TotalSeconds:0.00} s");
        }
    });

    /// <summary>A failing step prints what the containers said before the cleanup removes them.</summary>
    async Task ShowingLogsOnFailure(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (cluster is not null)
        {
            Log.Error("last lines of each container:");
            Log.Error(await cluster.DumpLogsAsync(30, CancellationToken.None));
            // A container that refused to start or a wait that ran out is an expected failure:
            // the message says it all, no exception type needed.
            if (e is ContainerExitedException or WaitTimeoutException or RoleChangeException or PgBackRestException)
            {
                throw new BuildFailedException(e.Message, e);
            }

            throw;
        }
    }
}
