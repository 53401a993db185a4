using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class DockerEndpointTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Without_DOCKER_HOST_the_local_socket_is_used(string? dockerHost)
    {
        Assert.Equal(new Uri("unix:///var/run/docker.sock"), DockerEndpoint.Resolve(dockerHost));
    }

    [Theory]
    [InlineData("unix:///run/user/1000/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375")]
    public void DOCKER_HOST_is_honoured(string dockerHost)
    {
        Assert.Equal(new Uri(dockerHost), DockerEndpoint.Resolve(dockerHost));
    }

    [Fact]
    public void An_unsupported_scheme_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => DockerEndpoint.Resolve("ssh://build@host"));

        Assert.Contains("ssh://build@host", error.Message);
    }
}
