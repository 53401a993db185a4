namespace PostgresReplication;

/// <summary>Waits on real conditions, read from Patroni's REST API and PostgreSQL: no fixed sleeps.</summary>
public sealed partial class HaCluster
{
    /// <summary>
    /// The cluster as the first answering member sees it; members that are down, paused or cut off
    /// are skipped (<paramref name="ct"/> bounds the whole call).
    /// </summary>
    public async Task<PatroniClusterView> ClusterViewAsync(IEnumerable<HaNode> askable, CancellationToken ct)
    {
        Exception? last = null;
        foreach (var member in askable)
        {
            try
            {
                return await member.RestApi.ClusterAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                last = e;
            }
        }

        throw new InvalidOperationException($"no member answered GET /cluster: {last?.Message ?? "none was asked"}", last);
    }

    /// <summary>
    /// Waits until a member other than <paramref name="except"/> holds the leader key and its
    /// PostgreSQL accepts writes; returns it.
    /// </summary>
    public Task<HaNode> WaitForLeaderAsync(HaNode? except, TimeSpan timeout, CancellationToken ct) =>
        Wait.UntilAsync(
            except is null ? "a leader" : $"a leader other than {except}",
            async token =>
            {
                var view = await ClusterViewAsync(Members.Where(m => m != except), token);
                if (view.Leader is not { } leader || leader.Name == except?.Name)
                {
                    return Probe<HaNode>.NotYet($"members: {Describe(view)}");
                }

                var node = Member(leader.Name);
                var inRecovery = await node.Endpoint.ScalarAsync<bool>("SELECT pg_is_in_recovery()", token);
                return inRecovery
                    ? Probe<HaNode>.NotYet($"{leader.Name} holds the key but is still in recovery")
                    : Probe<HaNode>.Done(node);
            },
            timeout,
            ct);

    /// <summary>Waits until every member in <paramref name="replicas"/> streams from <paramref name="leader"/> (its pg_stat_replication).</summary>
    public Task WaitForStreamingAsync(HaNode leader, IReadOnlyList<HaNode> replicas, TimeSpan timeout, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{string.Join(", ", replicas)} streaming from {leader}",
            async token =>
            {
                await using var connection = await leader.Endpoint.OpenAsync(token);
                await using var command = new Npgsql.NpgsqlCommand(
                    "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'", connection);
                var streaming = new HashSet<string>();
                await using (var reader = await command.ExecuteReaderAsync(token))
                {
                    while (await reader.ReadAsync(token))
                    {
                        streaming.Add(reader.GetString(0));
                    }
                }

                var missing = replicas.Where(r => !streaming.Contains(r.Name)).ToList();
                return missing.Count == 0
                    ? Probe<bool>.Done(true)
                    : Probe<bool>.NotYet($"not streaming yet: {string.Join(", ", missing)}");
            },
            timeout,
            ct);

    private static string Describe(PatroniClusterView view) =>
        string.Join(", ", view.Members.Select(m => $"{m.Name} {m.Role}/{m.State} tl {m.Timeline?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"));
}
