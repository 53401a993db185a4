using System.Diagnostics;

namespace PostgresReplication;

/// <summary>
/// A chaos run on a whole cluster: a writer and a sampler run throughout, the plan's faults are
/// injected one after the other while the duration lasts (each healed before the next), then the
/// writer stops, and what the leader holds is audited against what the writer recorded.
/// </summary>
public static class ChaosRun
{
    /// <summary>How long the writer may take to finish its last INSERT once the cluster is whole.</summary>
    private static readonly TimeSpan WriterStopsWithin = TimeSpan.FromSeconds(60);

    public static async Task<ChaosSummary> RunAsync(IChaosCluster cluster, int seed, TimeSpan duration, Action<string> log, CancellationToken ct)
    {
        var clock = new Stopwatch();
        var injector = new FaultInjector(cluster, clock, log);
        await injector.WaitUntilWholeAsync("the cluster to be whole before the first fault", ct);
        await Wait.UntilAsync(
            $"the read-write endpoint {cluster.ReadWrite} to take the table {ChaosWriter.Table}",
            async token =>
            {
                await cluster.ReadWrite.ExecuteAsync(ChaosWriter.CreateTableSql, token);
                return true;
            },
            FaultInjector.WholeAgainWithin,
            ct);

        var ledger = new WriteLedger();
        var tally = new WritableTally();
        using var stopWriter = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stopSampler = CancellationTokenSource.CreateLinkedTokenSource(ct);
        clock.Start();
        var writing = Task.Run(() => new ChaosWriter(cluster.ReadWrite, ledger, clock, log).RunAsync(stopWriter.Token), CancellationToken.None);
        var sampling = Task.Run(() => new WritableSampler(cluster.Observed, tally, clock, log).RunAsync(stopSampler.Token), CancellationToken.None);

        List<PlannedFault> injected = [];
        try
        {
            foreach (var fault in new FaultPlan(seed, cluster.LeaderTtl).Faults())
            {
                if (clock.Elapsed + fault.Before >= duration)
                {
                    break;
                }

                // The plan's quiet time between faults: part of the reproducible sequence.
                await Task.Delay(fault.Before, ct);
                await injector.InjectAndHealAsync(fault, ct);
                injected.Add(fault);
            }
        }
        finally
        {
            await stopWriter.CancelAsync();
            await writing.WaitAsync(WriterStopsWithin, CancellationToken.None);
            ledger.Close(clock.Elapsed);
            await stopSampler.CancelAsync();
            await sampling;
        }

        var writes = ledger.Tally();
        var present = await RowsPresentAsync(cluster, ct);
        return new ChaosSummary(
            seed, clock.Elapsed, cluster.Strict, injected, writes, RowAudit.Of(writes, present), tally.Summary(),
            await cluster.MemberStatesAsync(ct));
    }

    /// <summary>Every row the leader holds, read through the read-write endpoint like the writes.</summary>
    public static Task<List<long>> RowsPresentAsync(IChaosCluster cluster, CancellationToken ct) =>
        Wait.UntilAsync(
            $"the rows of {ChaosWriter.Table} through {cluster.ReadWrite}",
            async token =>
            {
                await using var connection = await cluster.ReadWrite.OpenAsync(token);
                await using var select = new Npgsql.NpgsqlCommand($"SELECT seq FROM {ChaosWriter.Table}", connection);
                await using var reader = await select.ExecuteReaderAsync(token);
                List<long> rows = [];
                while (await reader.ReadAsync(token))
                {
                    rows.Add(reader.GetInt64(0));
                }

                return Probe<List<long>>.Done(rows);
            },
            FaultInjector.WholeAgainWithin,
            ct);
}
