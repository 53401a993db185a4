namespace PostgresReplication.Benchmarks;

/// <summary>One target of the issue, what was measured against it, and whether it is met.</summary>
public sealed record TargetVerdict(string Figure, string Target, string Measured, bool Met);
