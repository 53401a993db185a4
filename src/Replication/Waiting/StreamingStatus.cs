namespace PostgresReplication;

/// <summary>A standby's row in its upstream's pg_stat_replication; its text is the log line.</summary>
public sealed record StreamingStatus(string Standby, string Upstream, string State, long LagBytes)
{
    public override string ToString() => $"{Standby} {State} from {Upstream} (lag {LagBytes} B)";
}
