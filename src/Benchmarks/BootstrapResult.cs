namespace PostgresReplication.Benchmarks;

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

    private Comparison Of(Func<BootstrapRun, double> figure) => new(
        [.. Runs.Where(r => r.Side == Sides.Container).Select(figure)],
        [.. Runs.Where(r => r.Side == Sides.Native).Select(figure)]);
}
