namespace PostgresReplication.Benchmarks;

/// <summary>
/// One reading of the primary's pg_stat_replication for the standby: replay lag in bytes
/// (current WAL position minus replay position) and replay_lag in milliseconds (null when the
/// server has no current measurement). Null bytes: the read failed or the standby was not listed.
/// </summary>
public sealed record LagSample(TimeSpan At, long? Bytes, double? ReplayLagMs);
