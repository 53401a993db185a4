using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Figure 1: StartPrimary, StartStandby, Seed, AssertReplication on a fresh pair, timed step by step,
/// with the image and with the host's PostgreSQL, alternating. Removing a pair is not timed. One
/// untimed cycle per side comes first: the first of a process pays for JIT and for the engine's and
/// the kernel's first use of their code paths, which no later cycle sees.
/// </summary>
internal sealed class CycleBenchmark(BenchmarkContext context)
{
    private const string StandbyName = "standby-1";

    public async Task<CycleResult> RunAsync(CancellationToken ct)
    {
        var repetitions = context.Options.CycleRepetitions;
        foreach (var side in Sides.InOrder(0))
        {
            await using var pair = await context.NewPairAsync(side, ct);
            var warmUp = await TimeOneAsync(pair, 0, ct);
            context.Log($"cycle warm-up {side,-9}: {Seconds(warmUp.Total)} (not counted)");
        }

        var runs = new List<CycleRun>();
        for (var repetition = 0; repetition < repetitions; repetition++)
        {
            foreach (var side in Sides.InOrder(repetition))
            {
                await using var pair = await context.NewPairAsync(side, ct);
                var run = await TimeOneAsync(pair, repetition + 1, ct);
                context.Log(
                    $"cycle {run.Repetition}/{repetitions} {side,-9}: primary {Seconds(run.StartPrimary)}, " +
                    $"standby streaming {Seconds(run.StartStandby)}, seed {Seconds(run.Seed)}, " +
                    $"row verified {Seconds(run.AssertReplication)} = {Seconds(run.Total)}");
                runs.Add(run);
            }
        }

        return new CycleResult(runs);
    }

    /// <summary>One timed cycle on a fresh pair: the same steps for figure 1 and figure 6's native side.</summary>
    internal static async Task<CycleRun> TimeOneAsync(IReplicationPair pair, int repetition, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        // As ./build.sh Test does: the standby's container starts while the primary initialises.
        await pair.StartPrimaryAsync(ct, standbyAlongside: StandbyName);
        var primary = Lap(clock);
        await pair.StartStandbyAsync(StandbyName, ct);
        var standby = Lap(clock);
        await pair.SeedAsync(ct);
        var seed = Lap(clock);
        await pair.AssertReplicationAsync(StandbyName, ct);
        var assert = Lap(clock);
        return new CycleRun(pair.Side, repetition, primary, standby, seed, assert);
    }

    private static TimeSpan Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed;
        clock.Restart();
        return elapsed;
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.00} s";
}

/// <summary>One cycle on one side: how long each pipeline step took, from starting the primary to a verified row.</summary>
public sealed record CycleRun(
    string Side, int Repetition, TimeSpan StartPrimary, TimeSpan StartStandby, TimeSpan Seed, TimeSpan AssertReplication)
{
    public TimeSpan Total => StartPrimary + StartStandby + Seed + AssertReplication;
}

public sealed record CycleResult(IReadOnlyList<CycleRun> Runs)
{
    /// <summary>Seconds from starting the primary to a verified row on the standby.</summary>
    public Comparison Total => Of(r => r.Total);

    public Comparison Step(Func<CycleRun, TimeSpan> step) => Of(step);

    private Comparison Of(Func<CycleRun, TimeSpan> figure) => Comparison.Of(Runs, r => r.Side, r => figure(r).TotalSeconds);
}
