namespace PostgresReplication.Benchmarks;

/// <summary>A measurement could not be made; the message says which and why. No figure is reported as zero instead.</summary>
public sealed class BenchmarkException : Exception
{
    public BenchmarkException(string message)
        : base(message)
    {
    }

    public BenchmarkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
