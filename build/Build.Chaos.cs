using BuildRunner;
using PostgresReplication;

/// <summary>
/// Chaos: an HA cluster in strict synchronous mode, a client writing unique rows through HAProxy,
/// each member asked every 100 ms whether it accepts writes, and faults from a seeded plan (kills,
/// a paused leader, a leader cut off, an etcd restart), each healed before the next. Fails when an
/// acknowledged row is lost, a row nobody wrote appears, two members accepted writes at once, or a
/// member does not stream again.
/// </summary>
sealed partial class Build
{
    /// <summary>The leader key's lifetime the chaos members run with: Patroni's minimum, so failovers are quick.</summary>
    static readonly TimeSpan ChaosLeaderTtl = TimeSpan.FromSeconds(20);

    [Parameter("Seconds Chaos injects faults for; the fault in progress is healed after it (the run ends a few minutes after this)")]
    readonly int ChaosDuration = 120;

    [Parameter("Seed of Chaos's fault plan: the same seed gives the same faults, targets and pauses")]
    readonly int ChaosSeed = 1;

    [Parameter("SYNCHRONOUS_MODE of the Chaos cluster: strict (the default: no acknowledged row may be lost), on or off (lost rows are then reported, not failed)")]
    readonly string ChaosSynchronousMode = "strict";

    Target Chaos => _ => _
        .Description("HA cluster in strict synchronous mode; a client writes through HAProxy while seeded faults (kill -9 of the leader, a replica, two members; the leader paused or cut off past its key's ttl; an etcd restart) are injected and healed; fails on a lost acknowledged row or two writable members")
        .DependsOn(BuildHaImage)
        .Executes(async ct =>
        {
            CheckChaosParameters();
            var options = HaOptions() with
            {
                SynchronousMode = ChaosSynchronousMode,
                MemberEnvironment = new Dictionary<string, string?> { ["PATRONI_TTL"] = $"{ChaosLeaderTtl.TotalSeconds:0}" },
            };
            await using var ha = await HaCluster.CreateAsync(await EngineAsync(ct), options, Log.Info, ct);
            var summary = await ShowingHaLogsOnFailure(ha, async () =>
            {
                await ha.StartAsync(ct);
                var chaos = await HaClusterChaos.AttachAsync(ha, ChaosLeaderTtl, ct);
                Log.Info($"chaos: seed {ChaosSeed}, {ChaosDuration} s of faults, synchronous mode {ChaosSynchronousMode}, ttl {ChaosLeaderTtl.TotalSeconds:0} s");
                return await ChaosRun.RunAsync(chaos, ChaosSeed, TimeSpan.FromSeconds(ChaosDuration), Log.Info, ct);
            });
            foreach (var line in summary.ToTable().Split('\n'))
            {
                Log.Info(line.TrimEnd());
            }

            if (summary.Violations() is [_, ..] violations)
            {
                // Patroni's lines say when each member promoted or demoted itself: the cluster is still there to ask.
                Log.Error("last lines of each container:");
                Log.Error(await ha.DumpLogsAsync(80, CancellationToken.None));
                throw new BuildFailedException($"chaos run with --chaos-seed {ChaosSeed}: {string.Join("; ", violations)}");
            }
        });

    void CheckChaosParameters()
    {
        if (ChaosDuration < 10)
        {
            throw new BuildFailedException($"--chaos-duration is {ChaosDuration}; give at least 10 seconds (a fault and its heal take 30 to 90)");
        }

        if (ChaosSynchronousMode is not ("strict" or "on" or "off"))
        {
            throw new BuildFailedException($"--chaos-synchronous-mode is '{ChaosSynchronousMode}'; use strict, on or off");
        }
    }
}
