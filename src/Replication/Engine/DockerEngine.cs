using Docker.DotNet;

namespace PostgresReplication;

/// <summary>
/// A Docker client pinned to the API version negotiated with the running engine. Everything that
/// touches Docker (builds, clusters, the janitor) goes through one of these.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private DockerEngine(DockerClient client, Uri endpoint, ApiVersionChoice api, string engineVersion)
    {
        Client = client;
        Endpoint = endpoint;
        Api = api;
        EngineVersion = engineVersion;
    }

    public DockerClient Client { get; }

    public Uri Endpoint { get; }

    /// <summary>The connected API version and the reason it was chosen.</summary>
    public ApiVersionChoice Api { get; }

    public Version ApiVersion => Api.Version;

    /// <summary>The engine's own version, e.g. 20.10.24+dfsg1; for logs only.</summary>
    public string EngineVersion { get; }

    /// <summary>Connects to DOCKER_HOST (or the local socket), honouring DOCKER_API_VERSION.</summary>
    public static Task<DockerEngine> ConnectAsync(CancellationToken ct) =>
        ConnectAsync(DockerEndpoint.FromEnvironment(), Environment.GetEnvironmentVariable("DOCKER_API_VERSION"), ct);

    public static async Task<DockerEngine> ConnectAsync(Uri endpoint, string? apiVersionOverride, CancellationToken ct)
    {
        var header = await EnginePing.ApiVersionHeaderAsync(endpoint, ct);
        var api = ApiVersionNegotiation.Choose(header, apiVersionOverride);
        var client = new DockerClientBuilder().WithEndpoint(endpoint).WithApiVersion(api.Version).Build();
        try
        {
            var version = await client.System.GetVersionAsync(ct);
            return new DockerEngine(client, endpoint, api, version.Version);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The container's address on <paramref name="network"/> (any network it is on when null), for a
    /// client on the host that goes around the published port; fails when it has none.
    /// </summary>
    public async Task<string> ContainerAddressAsync(string containerId, string? network, CancellationToken ct)
    {
        var inspected = await Client.Containers.InspectContainerAsync(containerId, ct);
        var networks = inspected.NetworkSettings?.Networks ?? new Dictionary<string, Docker.DotNet.Models.EndpointSettings>();
        var address = network is null
            ? networks.Values.Select(n => n.IPAddress).FirstOrDefault(a => !string.IsNullOrEmpty(a))
            : networks.TryGetValue(network, out var endpoint) ? endpoint.IPAddress : null;
        return string.IsNullOrEmpty(address)
            ? throw new InvalidOperationException($"container {inspected.Name.TrimStart('/')} has no address on {network ?? "any network"}")
            : address;
    }

    public override string ToString() => $"Docker Engine {EngineVersion} at {Endpoint}, API {Api}";

    public void Dispose() => Client.Dispose();
}
