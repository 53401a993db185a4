namespace PostgresReplication;

/// <summary>The engine did not answer its ping: it is not running, or DOCKER_HOST points elsewhere.</summary>
public sealed class DockerEngineUnreachableException(Uri endpoint, Exception inner)
    : Exception($"No Docker engine answers at {endpoint} ({inner.Message}). Start dockerd, or set DOCKER_HOST.", inner)
{
    public Uri Endpoint { get; } = endpoint;
}
