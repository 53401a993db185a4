using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Figure 3: a new standby of a primary holding about 1 GB, from its start to streaming. Each side's
/// primary is loaded once (both at the same time: loading is not measured); each standby is removed,
/// with its slot, before the next one starts. Before each timed clone the host's file systems are
/// flushed, so that no clone pays for writing back the load or for freeing the previous clone's
/// gigabyte, whichever side came before it.
/// </summary>
internal sealed class BootstrapBenchmark(BenchmarkContext context)
{
    public Task<BootstrapResult> RunAsync(CancellationToken ct) =>
        RunAsync(context.Options.BootstrapScale, context.Options.Repetitions, ct);

    /// <summary>At a pgbench scale of the caller's: the scale run takes this figure at 1, 2, 5 and 10 GB.</summary>
    public async Task<BootstrapResult> RunAsync(int scale, int repetitions, CancellationToken ct)
    {
        var options = context.Options;
        var pgbench = new PgbenchRunner(options.Pgbench);
        await using var container = await context.NewPairAsync(Sides.Container, ct);
        await using var native = await context.NewPairAsync(Sides.Native, ct);
        await container.StartPrimaryAsync(ct);
        await native.StartPrimaryAsync(ct);
        context.Log($"bootstrap: loading pgbench scale {scale} into both primaries at once");
        var loads = await Task.WhenAll(
            LoadAsync(pgbench, container, scale, ct),
            LoadAsync(pgbench, native, scale, ct));
        var pairs = new Dictionary<string, (IReplicationPair Pair, long Bytes)>
        {
            [Sides.Container] = (container, loads[0].Bytes),
            [Sides.Native] = (native, loads[1].Bytes),
        };
        foreach (var (side, (bytes, time)) in new[] { (Sides.Container, loads[0]), (Sides.Native, loads[1]) })
        {
            context.Log($"bootstrap: {side} primary holds {bytes / 1e6:0} MB (loaded in {time.TotalSeconds:0.0} s)");
        }

        var runs = new List<BootstrapRun>();
        for (var repetition = 0; repetition < repetitions; repetition++)
        {
            foreach (var side in Sides.InOrder(repetition))
            {
                var (pair, bytes) = pairs[side];
                var name = $"standby-b{repetition + 1}";
                await NativeCommand.RunAsync("sync", [], ct);
                var clock = Stopwatch.StartNew();
                await pair.StartStandbyAsync(name, ct);
                var run = new BootstrapRun(side, repetition + 1, bytes, clock.Elapsed);
                runs.Add(run);
                context.Log(
                    $"bootstrap {run.Repetition}/{repetitions} {side,-9}: streaming after {run.Duration.TotalSeconds:0.00} s " +
                    $"= {run.MegabytesPerSecond:0} MB/s");
                await pair.RemoveStandbyAsync(name, ct);
            }
        }

        return new BootstrapResult(
            runs, scale, loads[0].Bytes, loads[1].Bytes, loads[0].Time, loads[1].Time);
    }

    /// <summary>Loads, then checkpoints so no standby pays for flushing the load.</summary>
    private static async Task<(long Bytes, TimeSpan Time)> LoadAsync(
        PgbenchRunner pgbench, IReplicationPair pair, int scale, CancellationToken ct)
    {
        var time = await pgbench.InitializeAsync(pair.Primary, scale, ct);
        await PrimaryAdmin.CheckpointAsync(pair.Primary, ct);
        return (await PrimaryAdmin.DataSizeBytesAsync(pair.Primary, ct), time);
    }
}

/// <summary>One standby bootstrap: from starting it to its primary showing it streaming, over the primary's data size.</summary>
public sealed record BootstrapRun(string Side, int Repetition, long DataBytes, TimeSpan Duration)
{
    /// <summary>Megabytes (10^6 bytes) per second.</summary>
    public double MegabytesPerSecond => DataBytes / 1e6 / Duration.TotalSeconds;
}

public sealed record BootstrapResult(
    IReadOnlyList<BootstrapRun> Runs, int Scale, long ContainerDataBytes, long NativeDataBytes, TimeSpan ContainerLoad, TimeSpan NativeLoad)
{
    public Comparison Throughput => Of(r => r.MegabytesPerSecond);

    public Comparison Seconds => Of(r => r.Duration.TotalSeconds);

    private Comparison Of(Func<BootstrapRun, double> figure) => Comparison.Of(Runs, r => r.Side, figure);
}
