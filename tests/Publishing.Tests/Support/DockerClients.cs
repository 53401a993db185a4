using Docker.DotNet;

namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// A client for the local engine. The API version is pinned to 1.41 because this client
/// library would otherwise ask for 1.44, which Engine 20.10 refuses.
/// </summary>
public static class DockerClients
{
    public static IDockerClient Local() =>
        new DockerClientBuilder()
            .WithEndpoint(new Uri("unix:///var/run/docker.sock"))
            .WithApiVersion(new Version(1, 41))
            .Build();
}
