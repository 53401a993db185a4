namespace PostgresReplication.Benchmarks;

/// <summary>
/// CPU time the primary spends in its WAL senders, read from the host's /proc on both sides: the
/// children of the postmaster's host PID whose title starts "postgres: walsender". A snapshot before
/// and after a load run; their difference is the CPU the load cost in WAL senders.
/// </summary>
internal static class WalSenderCpu
{
    private const string TitlePrefix = "postgres: walsender";

    /// <summary>CPU ticks of each WAL sender of the postmaster now, by PID.</summary>
    public static IReadOnlyDictionary<int, long> Snapshot(int postmasterPid) =>
        ProcessTree.All()
            .Where(p => p.ParentPid == postmasterPid && ProcessTree.Title(p.Pid)?.StartsWith(TitlePrefix, StringComparison.Ordinal) == true)
            .ToDictionary(p => p.Pid, p => p.CpuTicks);

    /// <summary>
    /// Seconds of CPU between two snapshots: for a WAL sender in both, the difference; one that started
    /// in between counts whole; one that ended in between is lost (a reconnect during a run is rare and the
    /// report's figure is then low, never invented).
    /// </summary>
    public static double Seconds(IReadOnlyDictionary<int, long> before, IReadOnlyDictionary<int, long> after) =>
        after.Sum(p => p.Value - before.GetValueOrDefault(p.Key)) / ProcessTree.TicksPerSecond;
}
