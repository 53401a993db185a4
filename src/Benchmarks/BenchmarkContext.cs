namespace PostgresReplication.Benchmarks;

/// <summary>What every benchmark of a run shares: options, the engine, the host's binaries, the log.</summary>
internal sealed record BenchmarkContext(BenchmarkOptions Options, DockerEngine Engine, NativeBinaries Native, Action<string> Log)
{
    /// <summary>A new, empty pair of the given side; nothing runs until its primary is started.</summary>
    public async Task<IReplicationPair> NewPairAsync(string side, CancellationToken ct) => side switch
    {
        Sides.Container => new ContainerPair(Engine, Options.ImageName),
        Sides.Native => await NativePair.CreateAsync(Native, Options.WorkDirectory, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "container or native"),
    };
}
