using System.Diagnostics;
using PostgresReplication;

/// <summary>A check of HaTest that did not hold: the message says what was seen.</summary>
sealed class HaScenarioException(string message) : Exception(message);

/// <summary>
/// HaTest's story on a fresh <see cref="HaCluster"/>: elected, seeded, leader killed, failed over
/// by Patroni alone, written through HAProxy, old leader rejoined by rewind (not re-cloned).
/// </summary>
sealed class HaScenario(HaCluster ha, Action<string> log)
{
    const string Table = "replication_test";

    // The file's inode and birth time change when a member is cloned again (its data directory is
    // new) and stay when pg_rewind rewrites it in place.
    static readonly string[] ControlFileIdentity = ["sh", "-c", "stat -c '%i %W' \"$PGDATA/global/pg_control\""];

    TimeSpan Timeout => ha.Options.WaitTimeout;

    public async Task RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await ha.StartAsync(ct);
        var leader = await ha.WaitForLeaderAsync(except: null, Timeout, ct);
        var replicas = ha.Members.Where(m => m != leader).ToList();
        await ha.WaitForStreamingAsync(leader, replicas, Timeout, ct);
        log($"{leader} elected leader, {string.Join(" and ", replicas)} streaming, {clock.Elapsed.TotalSeconds:0.0} s after the start");

        await WriteThroughProxyAsync(
            $"CREATE TABLE {Table} (a INT, b INT, c VARCHAR(255)); INSERT INTO {Table} VALUES (1, 2, 'it works')", ct);
        await AssertSameRowsEverywhereAsync(leader, ha.Members, ct);

        var systemId = await SystemIdentifierAsync(leader, ct);
        var controlFile = await ControlFileIdentityAsync(leader, ct);

        var failover = Stopwatch.StartNew();
        await leader.KillAsync(ct);
        var newLeader = await ha.WaitForLeaderAsync(except: leader, Timeout, ct);
        var elected = failover.Elapsed;
        await WriteThroughProxyAsync($"INSERT INTO {Table} VALUES (2, 3, 'after failover')", ct);
        var writable = failover.Elapsed;
        log($"leader {leader} killed: {newLeader} elected by Patroni after {elected.TotalSeconds:0.0} s; " +
            $"first write through HAProxy's read-write port {writable.TotalSeconds:0.0} s after the kill");
        await AssertKilledNameAnsweredAsync(newLeader, leader, ct);

        var rejoin = Stopwatch.StartNew();
        await leader.StartAsync(ct);
        await ha.WaitForStreamingAsync(newLeader, ha.Members.Where(m => m != newLeader).ToList(), Timeout, ct);
        log($"{leader} started again: streaming from {newLeader} after {rejoin.Elapsed.TotalSeconds:0.0} s");

        await AssertRewoundAsync(leader, newLeader, systemId, controlFile, ct);
        await AssertSameRowsEverywhereAsync(newLeader, ha.Members, ct);
        log($"HaTest passed in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Retried until HAProxy routes to a leader: a refused or cut connection committed nothing.</summary>
    async Task WriteThroughProxyAsync(string sql, CancellationToken ct) =>
        await Wait.UntilAsync(
            "a write through HAProxy's read-write port",
            async token =>
            {
                await ha.Proxy.Endpoint.ExecuteAsync(sql, token);
                return true;
            },
            Timeout,
            ct);

    async Task AssertSameRowsEverywhereAsync(HaNode leader, IReadOnlyList<HaNode> members, CancellationToken ct)
    {
        var expected = await TableChecksum.OfAsync(leader.Endpoint, Table, ct);
        foreach (var member in members.Where(m => m != leader))
        {
            // A replica replays asynchronously: its rows are awaited, never assumed.
            await Wait.UntilAsync(
                $"{member} holding {Table} as {leader} does ({expected})",
                async token => await TableChecksum.OfAsync(member.Endpoint, Table, token) == expected,
                Timeout,
                ct);
        }

        log($"every member has {Table}: {expected}");
    }

    async Task AssertRewoundAsync(HaNode old, HaNode newLeader, decimal systemId, string controlFile, CancellationToken ct)
    {
        var oldSystemId = await SystemIdentifierAsync(old, ct);
        if (oldSystemId != systemId)
        {
            throw new HaScenarioException($"{old} has system identifier {oldSystemId} after rejoining, not the cluster's {systemId}");
        }

        var leaderTimeline = await newLeader.Endpoint.ScalarAsync<int>("SELECT timeline_id FROM pg_control_checkpoint()", ct);
        await Wait.UntilAsync(
            $"{old} receiving timeline {leaderTimeline} of {newLeader}",
            async token => await old.Endpoint.ScalarAsync<int>("SELECT received_tli FROM pg_stat_wal_receiver", token) == leaderTimeline,
            Timeout,
            ct);

        var after = await ControlFileIdentityAsync(old, ct);
        if (after != controlFile)
        {
            throw new HaScenarioException(
                $"{old}'s pg_control is another file after rejoining (inode and birth time {controlFile} before, {after} after): it was cloned again, not rewound");
        }

        log($"{old} rejoined on timeline {leaderTimeline} with its own data directory (system identifier {systemId}, pg_control inode and birth {after} unchanged): rewound, not re-cloned");
    }

    // Patroni asks every member's REST API, the dead leader's too and by its name, before it takes
    // the lead: the engine must answer at once that the name is gone (EAI_NONAME or EAI_NODATA).
    // A lookup left to time out (EAI_AGAIN) cost every failover a second.
    static readonly string[] LookUp =
    [
        "python3", "-c",
        "import socket, sys\n" +
        "try:\n    socket.getaddrinfo(sys.argv[1], 8008)\n" +
        "except socket.gaierror as e:\n" +
        "    sys.exit({socket.EAI_NONAME: 10, socket.EAI_NODATA: 10, socket.EAI_AGAIN: 11}.get(e.errno, 12))\n",
    ];

    async Task AssertKilledNameAnsweredAsync(HaNode asker, HaNode killed, CancellationToken ct)
    {
        var (exitCode, output) = await asker.ExecAsync([.. LookUp, killed.Name], "postgres", ct);
        var seen = exitCode switch
        {
            10 => null,
            0 => $"{killed.Name} still resolves although its container is killed",
            11 => $"the lookup of {killed.Name} was left to time out (EAI_AGAIN) instead of being answered by the engine; check RunDns",
            _ => $"the lookup of {killed.Name} exited with {exitCode}: {output.Trim()}",
        };
        if (seen is not null)
        {
            throw new HaScenarioException($"on {asker}: {seen}");
        }

        log($"{asker} asking for the killed {killed.Name} is answered by the engine: the name is gone (no lookup left to time out)");
    }

    static async Task<decimal> SystemIdentifierAsync(HaNode member, CancellationToken ct) =>
        await member.Endpoint.ScalarAsync<decimal>("SELECT system_identifier::numeric FROM pg_control_system()", ct);

    static async Task<string> ControlFileIdentityAsync(HaNode member, CancellationToken ct)
    {
        var (exitCode, output) = await member.ExecAsync(ControlFileIdentity, "postgres", ct);
        return exitCode == 0
            ? output.Trim()
            : throw new HaScenarioException($"stat of {member}'s pg_control exited with {exitCode}: {output.Trim()}");
    }
}
