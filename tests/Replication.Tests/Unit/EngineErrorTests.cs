using System.Net;
using Docker.DotNet;
using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class EngineErrorTests
{
    [Fact]
    public void The_engines_json_message_is_unwrapped()
    {
        var error = new DockerApiException(HttpStatusCode.InternalServerError, "{\"message\":\"dial tcp: lookup registry-1.docker.io: no such host\"}\n");

        Assert.Equal("dial tcp: lookup registry-1.docker.io: no such host", EngineError.Message(error));
    }

    [Fact]
    public void A_body_that_is_not_json_is_kept_as_it_is()
    {
        var error = new DockerApiException(HttpStatusCode.BadGateway, "upstream went away");

        Assert.Equal("upstream went away", EngineError.Message(error));
    }
}
