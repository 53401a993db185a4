namespace PostgresReplication;

/// <summary>The HA image's three roles, chosen by the container's command.</summary>
public enum HaRole
{
    Etcd,
    Member,
    Proxy,
}
