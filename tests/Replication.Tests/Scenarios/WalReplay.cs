using PostgresReplication;

namespace Replication.Tests.Scenarios;

internal static class WalReplay
{
    /// <summary>
    /// Takes the source's current WAL position (after the writes a scenario made) and waits until
    /// every standby has replayed up to it: then they hold everything committed before.
    /// </summary>
    public static async Task CatchUpAsync(PostgresNode source, IEnumerable<PostgresNode> standbys, CancellationToken ct)
    {
        var written = await source.CurrentWalLsnAsync(ct);
        await Task.WhenAll(standbys.Select(standby => Probes.WaitForReplayAsync(standby, written, ct)));
    }

    public static Task CatchUpAsync(PostgresNode source, PostgresNode standby, CancellationToken ct) =>
        CatchUpAsync(source, [standby], ct);
}
