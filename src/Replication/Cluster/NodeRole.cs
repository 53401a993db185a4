namespace PostgresReplication;

public enum NodeRole
{
    Primary,
    Standby,
}
