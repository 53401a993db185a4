using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Figure 4: an unplanned failover on a fresh pair (primary, standby-1, the seed replicated): the
/// primary killed as a lost node would be, standby-1 promoted, a write committed on it; then the
/// former primary rewound and streaming from it. Timed from the kill; the failure's detection is
/// not part of it (the benchmark promotes at once). One untimed failover per side comes first, as
/// for the cycle.
/// </summary>
internal sealed class FailoverBenchmark(BenchmarkContext context)
{
    private const string StandbyName = "standby-1";
    private const string FormerPrimaryName = "primary";
    private const string WriteSql = "INSERT INTO replication_test VALUES (2, 3, 'after the failover')";
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);

    public async Task<FailoverResult> RunAsync(CancellationToken ct)
    {
        var repetitions = context.Options.FailoverRepetitions;
        foreach (var side in Sides.InOrder(0))
        {
            var warmUp = await OnFreshPairAsync(side, 0, ct);
            context.Log($"failover warm-up {side,-9}: writable {Seconds(warmUp.Writable)}, streaming {Seconds(warmUp.AllStreaming)} (not counted)");
        }

        var runs = new List<FailoverRun>();
        for (var repetition = 0; repetition < repetitions; repetition++)
        {
            foreach (var side in Sides.InOrder(repetition))
            {
                var run = await OnFreshPairAsync(side, repetition + 1, ct);
                context.Log(
                    $"failover {run.Repetition}/{repetitions} {side,-9}: primary gone {Seconds(run.PrimaryGone)}, " +
                    $"writable {Seconds(run.Writable)}, every standby streaming {Seconds(run.AllStreaming)}");
                runs.Add(run);
            }
        }

        return new FailoverResult(runs);
    }

    private async Task<FailoverRun> OnFreshPairAsync(string side, int repetition, CancellationToken ct)
    {
        await using var pair = await context.NewPairAsync(side, ct);
        await pair.StartPrimaryAsync(ct, standbyAlongside: StandbyName);
        await pair.StartStandbyAsync(StandbyName, ct);
        await pair.SeedAsync(ct);
        await pair.AssertReplicationAsync(StandbyName, ct);

        // Found before the clock starts: the engine's inspect and a walk of /proc are not part of losing a node.
        var postmaster = await pair.PrimaryPostmasterPidAsync(ct);
        var clock = Stopwatch.StartNew();
        await PostmasterKill.KillAsync(postmaster, $"the {pair.Side} primary's postmaster", ct);
        var gone = clock.Elapsed;
        await pair.PromoteAsync(StandbyName, ct);
        await WaitUntilWriteCommitsAsync(pair, ct);
        var writable = clock.Elapsed;
        // The promoted server writes its new timeline into pg_control only at its first checkpoint,
        // which it does not hurry, and pg_rewind reads the timeline there: before it, pg_rewind finds
        // "no rewind required" and the former primary then loops on "new timeline 2 forked off". A
        // failover manager checkpoints right after promoting (Patroni does); the image does not, so
        // the benchmark does it for both sides, as part of the rejoin.
        await PrimaryAdmin.CheckpointAsync(pair.Primary, ct);
        await pair.RejoinFormerPrimaryAsync(ct);
        var streaming = clock.Elapsed;

        // Not timed: the rejoined former primary has the row written after the failover.
        await pair.AssertReplicationAsync(FormerPrimaryName, ct);
        return new FailoverRun(side, repetition, gone, writable, streaming);
    }

    /// <summary>What a client sees: the first INSERT that commits, tried every 50 ms (a refused one is "not yet").</summary>
    private static Task WaitUntilWriteCommitsAsync(IReplicationPair pair, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{pair.Side} promoted {StandbyName} ({pair.Primary}) to commit a write",
            async token =>
            {
                await pair.Primary.ExecuteAsync(WriteSql, token);
                return Probe<bool>.Done(true);
            },
            WriteTimeout,
            ct);

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.00} s";
}

/// <summary>
/// One failover on one side, every time taken from the kill of the primary: until it had exited,
/// until the promoted standby committed a write, until the former primary streamed from it again.
/// </summary>
public sealed record FailoverRun(string Side, int Repetition, TimeSpan PrimaryGone, TimeSpan Writable, TimeSpan AllStreaming);

public sealed record FailoverResult(IReadOnlyList<FailoverRun> Runs)
{
    /// <summary>Seconds from the kill to the first committed write on the promoted standby: the figure its threshold judges.</summary>
    public Comparison Writable => Of(r => r.Writable);

    /// <summary>Seconds from the kill to every standby, the rejoined former primary too, streaming again.</summary>
    public Comparison AllStreaming => Of(r => r.AllStreaming);

    public Comparison Step(Func<FailoverRun, TimeSpan> step) => Of(step);

    private Comparison Of(Func<FailoverRun, TimeSpan> figure) => Comparison.Of(Runs, r => r.Side, r => figure(r).TotalSeconds);
}
