using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// One failover trial on a whole cluster while the writer runs: the leader lost one way, the first
/// row sent after it was gone and acknowledged through HAProxy, then the old leader brought back
/// (started again, or left to Patroni after a postmaster kill) and the cluster whole again.
/// </summary>
internal sealed class HaLossTrial(HaCluster ha, HaClusterChaos chaos, WriteLedger ledger, Stopwatch clock, Action<string> log)
{
    /// <summary>A killed leader's key lives up to ttl (30 s by Patroni's defaults), then an election and HAProxy's check.</summary>
    private static readonly TimeSpan FirstWriteWithin = TimeSpan.FromSeconds(120);

    /// <summary>A clean stop's grace: Patroni stops PostgreSQL (a shutdown checkpoint) and releases the key well within it.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    public async Task<HaTrial> RunAsync(HaLoss loss, int number, CancellationToken ct)
    {
        var injector = new FaultInjector(chaos, clock, log);
        await injector.WaitUntilWholeAsync($"the cluster to be whole before trial {number} ({loss})", ct);
        var oldLeader = await chaos.LeaderAsync(ct) ?? throw new InvalidOperationException("a whole cluster has a leader, and Patroni names none");
        var leader = ha.Member(oldLeader);
        // Found before the clock starts: the engine's inspect and a walk of /proc are not part of the loss.
        var postmaster = loss == HaLoss.PostgresKilled ? await PostmasterKill.OfContainerAsync(ha.Engine, leader.ContainerId, leader.Name, ct) : 0;

        var issued = clock.Elapsed;
        await LoseAsync(loss, leader, postmaster, ct);
        var gone = clock.Elapsed;
        // Every row after this one is sent after the old leader was gone.
        var lastBeforeGone = ledger.LastAttempted;
        var (_, acknowledgedAt) = await Wait.UntilAsync(
            $"a row sent after {oldLeader} was gone ({loss}) to be acknowledged through HAProxy",
            _ => Task.FromResult(ledger.FirstAcknowledgedAfter(lastBeforeGone) is { } first
                ? Probe<(long, TimeSpan)>.Done(first)
                : Probe<(long, TimeSpan)>.NotYet($"no row after {lastBeforeGone} acknowledged; {ledger.LastAttempted} sent")),
            FirstWriteWithin,
            ct);

        if (loss != HaLoss.PostgresKilled)
        {
            await chaos.StartAsync(oldLeader, ct);
        }

        await injector.WaitUntilWholeAsync($"the cluster to be whole again after trial {number} ({loss} of {oldLeader})", ct);
        var whole = clock.Elapsed;
        // Read once whole: just after the first write Patroni may not name the new leader yet.
        var newLeader = await chaos.LeaderAsync(ct) ?? "none named";
        var trial = new HaTrial(
            loss, number, oldLeader, newLeader, Seconds(gone - issued), Seconds(acknowledgedAt - issued), Seconds(whole - issued));
        log($"trial {number} {Describe(loss)} of {oldLeader}: gone {trial.GoneSeconds:0.00} s, first write through HAProxy " +
            $"{trial.FirstWriteSeconds:0.00} s (leader {newLeader}), whole again {trial.WholeSeconds:0.0} s");
        return trial;
    }

    public static string Describe(HaLoss loss) => loss switch
    {
        HaLoss.ContainerKilled => "container killed",
        HaLoss.PostgresKilled => "PostgreSQL alone killed",
        HaLoss.CleanStop => "clean stop",
        _ => loss.ToString(),
    };

    private Task LoseAsync(HaLoss loss, HaNode leader, int postmaster, CancellationToken ct) => loss switch
    {
        HaLoss.ContainerKilled => leader.KillAsync(ct),
        HaLoss.PostgresKilled => PostmasterKill.KillAsync(postmaster, $"{leader}'s postmaster", ct),
        HaLoss.CleanStop => leader.StopAsync(StopGrace, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
    };

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);
}
