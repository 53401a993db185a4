namespace PostgresReplication;

/// <summary>Where the engine listens: DOCKER_HOST when set (unix:// or tcp://), else the local socket.</summary>
public static class DockerEndpoint
{
    public static readonly Uri DefaultUnixSocket = new("unix:///var/run/docker.sock");

    public static Uri Resolve(string? dockerHost)
    {
        if (string.IsNullOrWhiteSpace(dockerHost))
        {
            return DefaultUnixSocket;
        }

        if (!Uri.TryCreate(dockerHost.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp"))
        {
            throw new ArgumentException(
                $"DOCKER_HOST='{dockerHost}' is not supported here: use unix:///path/to/docker.sock or tcp://host:port.",
                nameof(dockerHost));
        }

        return uri;
    }

    public static Uri FromEnvironment() => Resolve(Environment.GetEnvironmentVariable("DOCKER_HOST"));
}
