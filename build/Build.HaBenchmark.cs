using BuildRunner;
using PostgresReplication;
using PostgresReplication.Benchmarks;

/// <summary>
/// HaBenchmark: Patroni's failover on the HA image, timed (issue 19, item 5). No native side: Patroni
/// is the reference, and the hand measurements are quoted beside the figures.
/// </summary>
sealed partial class Build
{
    [Parameter("HaBenchmark: trials of each way of losing the leader (container killed, PostgreSQL alone killed, clean stop), per timing")]
    readonly int HaBenchmarkTrials = 10;

    [Parameter("HaBenchmark: seconds of pgbench through HAProxy with no fault, per timing, while leader changes are counted")]
    readonly int HaBenchmarkPgbenchSeconds = 600;

    [Parameter("HaBenchmark: the Patroni timings measured, each on its own cluster: defaults (ttl 30 / loop_wait 10 / retry_timeout 10), recommended (20 / 1 / 8, the HA image's defaults), or both")]
    readonly string[] HaBenchmarkSettings = ["defaults", "recommended"];

    [Parameter("HaBenchmark: SYNCHRONOUS_MODE of the clusters: strict (the default: a lost acknowledged row fails a bar by design, not by chance), on or off")]
    readonly string HaBenchmarkSynchronousMode = "strict";

    Target HaBenchmark => _ => _
        .Description("Times Patroni's failover through HAProxy (leader's container killed, its PostgreSQL alone killed, a clean stop) with Patroni's defaults and the recommended timing, counts false failovers under pgbench; writes docs/benchmarks-ha.md (about 50 min at the defaults)")
        .DependsOn(BuildHaImage)
        .Executes(async ct =>
        {
            var options = new HaBenchmarkOptions
            {
                Image = HaImageTag,
                OutputDirectory = Path.Combine(RootDirectory, "docs"),
                Timings = [.. HaBenchmarkSettings.Distinct().Select(HaTiming)],
                Trials = HaBenchmarkTrials,
                SynchronousMode = HaBenchmarkSynchronousMode,
                PgbenchDuration = TimeSpan.FromSeconds(HaBenchmarkPgbenchSeconds),
                WaitTimeout = TimeSpan.FromSeconds(WaitTimeout),
            };
            try
            {
                await PostgresReplication.Benchmarks.HaBenchmark.RunAsync(await EngineAsync(ct), options, Log.Info, ct);
            }
            catch (Exception e) when (e is BenchmarkException or ArgumentException)
            {
                throw new BuildFailedException(e.Message, e);
            }
        });

    static PatroniTiming HaTiming(string name) => name switch
    {
        "defaults" => PatroniTiming.PatroniDefaults,
        "recommended" => PatroniTiming.Recommended,
        _ => throw new BuildFailedException($"--ha-benchmark-settings takes defaults, recommended or both, not '{name}'."),
    };
}
