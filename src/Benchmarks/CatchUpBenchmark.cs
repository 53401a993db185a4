using System.Diagnostics;
using NpgsqlTypes;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Scale figure 2: a standby stopped (fast shutdown, its slot keeps the WAL) while its primary writes
/// about <see cref="ScaleOptions.CatchUpWalMegabytes"/> of WAL, then started again: seconds from the
/// start until the primary shows it has replayed the primary's position at that moment. The WAL is
/// the same rows on both sides (1 kB each, inserted in batches); one pair per side serves every round.
/// </summary>
internal sealed class CatchUpBenchmark(BenchmarkContext context, ScaleOptions scale)
{
    private const string StandbyName = "standby-1";
    private const int RowsPerBatch = 50_000;
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromMinutes(30);

    public async Task<CatchUpResult> RunAsync(CancellationToken ct)
    {
        await using var container = await context.NewPairAsync(Sides.Container, ct);
        await using var native = await context.NewPairAsync(Sides.Native, ct);
        var standbys = new Dictionary<string, (IReplicationPair Pair, string ApplicationName)>();
        foreach (var pair in new[] { container, native })
        {
            await pair.StartPrimaryAsync(ct);
            standbys[pair.Side] = (pair, await pair.StartStandbyAsync(StandbyName, ct));
            await pair.Primary.ExecuteAsync("CREATE TABLE catch_up (id int, filler text)", ct);
        }

        var runs = new List<CatchUpRun>();
        for (var round = 0; round < scale.Rounds; round++)
        {
            foreach (var side in Sides.InOrder(round))
            {
                var (pair, applicationName) = standbys[side];
                var run = await RunOnceAsync(pair, applicationName, round + 1, ct);
                runs.Add(run);
                context.Log($"catch-up {run.Round}/{scale.Rounds} {side,-9}: {run.WalBytes / 1e6:0} MB of WAL replayed {run.Duration.TotalSeconds:0.00} s after the start = {run.MegabytesPerSecond:0} MB/s");
            }
        }

        return new CatchUpResult(runs);
    }

    private async Task<CatchUpRun> RunOnceAsync(IReplicationPair pair, string applicationName, int round, CancellationToken ct)
    {
        // Not timed: the table emptied (so disk use does not grow by round), the standby caught up, then stopped.
        await pair.Primary.ExecuteAsync("TRUNCATE catch_up", ct);
        await PrimaryAdmin.CheckpointAsync(pair.Primary, ct);
        await LagBenchmark.WaitUntilCaughtUpAsync(pair, applicationName, ct);
        await pair.StopStandbyAsync(StandbyName, ct);
        var start = await CurrentLsnAsync(pair.Primary, ct);
        var target = start;
        while (target - start < (ulong)scale.CatchUpWalMegabytes * 1_000_000)
        {
            await pair.Primary.ExecuteAsync(
                $"INSERT INTO catch_up SELECT g, repeat('x', 1000) FROM generate_series(1, {RowsPerBatch}) g", ct);
            target = await CurrentLsnAsync(pair.Primary, ct);
        }

        await NativeCommand.RunAsync("sync", [], ct);
        var clock = Stopwatch.StartNew();
        await pair.RestartStandbyAsync(StandbyName, ct);
        await WaitUntilReplayedAsync(pair, applicationName, target, ct);
        return new CatchUpRun(pair.Side, round, (long)(target - start), clock.Elapsed);
    }

    private static async Task<NpgsqlLogSequenceNumber> CurrentLsnAsync(PgEndpoint primary, CancellationToken ct) =>
        await primary.ScalarAsync<NpgsqlLogSequenceNumber>("SELECT pg_current_wal_lsn()", ct);

    /// <summary>Polled on the primary, the same on both sides: replay_lsn of the standby at or past the target.</summary>
    private static Task WaitUntilReplayedAsync(IReplicationPair pair, string applicationName, NpgsqlLogSequenceNumber target, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{pair.Side} {applicationName} to replay up to {target} after its restart",
            async token =>
            {
                // As text: Npgsql cannot infer pg_lsn from an NpgsqlLogSequenceNumber parameter (InvalidCastException).
                var behind = await pair.Primary.ScalarAsync<long?>(
                    "SELECT pg_wal_lsn_diff(@target::pg_lsn, replay_lsn)::bigint FROM pg_stat_replication WHERE application_name = @name",
                    token, ("target", target.ToString()), ("name", applicationName));
                return behind is <= 0 ? Probe<bool>.Done(true) : Probe<bool>.NotYet(behind is null ? "not connected yet" : $"{behind} B to replay");
            },
            ReplayTimeout,
            ct);
}

/// <summary>One catch-up: WAL written while the standby was stopped, and the time from its start until it had replayed it.</summary>
public sealed record CatchUpRun(string Side, int Round, long WalBytes, TimeSpan Duration)
{
    public double MegabytesPerSecond => WalBytes / 1e6 / Duration.TotalSeconds;
}

public sealed record CatchUpResult(IReadOnlyList<CatchUpRun> Runs)
{
    public Comparison Seconds => Comparison.Of(Runs, r => r.Side, r => r.Duration.TotalSeconds);

    /// <summary>Replay throughput: higher is better, the figure the bar (at least 90% of native) is judged on.</summary>
    public Comparison Throughput => Comparison.Of(Runs, r => r.Side, r => r.MegabytesPerSecond);
}
