namespace PostgresReplication;

/// <summary>
/// How every container of a run resolves names: the engine's embedded DNS answers the run's own
/// names (its nodes, members, etcd), and nothing is sent beyond the run's network.
/// </summary>
internal static class RunDns
{
    // A loopback upstream: a name the engine does not know (a node not created yet, a member just
    // killed, a typo) is never forwarded to the host's resolvers.
    public static IList<string> Servers => ["127.0.0.1"];

    // No search domains: with ndots:1 a host's search domain would be tried first, costing a
    // second on every lookup of a node's name.
    public static IList<string> Search => ["."];

    // ndots:1 makes the engine answer an unknown single-label name itself, at once. Without it the
    // lookup waited for the loopback upstream and failed only at the 1 s timeout, which every
    // Patroni failover paid once, asking for the dead leader's REST API before taking its place.
    public static IList<string> Options => ["ndots:1", "timeout:1", "attempts:1"];
}
