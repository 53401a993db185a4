using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace PostgresReplication;

/// <summary>
/// A member's Patroni REST API from the host. Reads (<c>GET /cluster</c>) need no credentials;
/// the credentials are kept for the write endpoints (switchover, restart, ...).
/// </summary>
public sealed record PatroniRestApi(int Port, string User, string Password)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>The cluster as this member sees it in the store: every member, its role, state and timeline.</summary>
    public async Task<PatroniClusterView> ClusterAsync(CancellationToken ct) =>
        await Http.GetFromJsonAsync<PatroniClusterView>($"http://127.0.0.1:{Port}/cluster", ct)
        ?? throw new InvalidOperationException($"Patroni on 127.0.0.1:{Port} answered GET /cluster with null.");

    public override string ToString() => $"127.0.0.1:{Port}";
}

/// <summary>Patroni's <c>GET /cluster</c> answer, the parts this project reads.</summary>
public sealed record PatroniClusterView(
    [property: JsonPropertyName("members")] IReadOnlyList<PatroniMemberView> Members)
{
    /// <summary>The member holding the leader key, or null while there is none.</summary>
    public PatroniMemberView? Leader => Members.SingleOrDefault(m => m.IsLeader);
}

public sealed record PatroniMemberView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("timeline")] long? Timeline)
{
    /// <summary>A running leader (Patroni's state is "running" once PostgreSQL accepts writes).</summary>
    public bool IsLeader => Role == "leader" && State == "running";
}
