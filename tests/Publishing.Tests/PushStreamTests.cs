using Docker.DotNet.Models;

namespace PostgresReplication.Publishing.Tests;

/// <summary>How the engine's push stream becomes a few log lines, an error or a digest.</summary>
public sealed class PushStreamTests
{
    private const string Digest = "sha256:08b12fe3447332f90313f3909ff16f8aafe0e52257c6fa8d941a995512863cf0";

    [Fact]
    public void Reports_one_line_per_finished_layer_and_keeps_the_digest()
    {
        // Given a push of two layers with many progress ticks
        var lines = new List<string>();
        var stream = new PushStream("18", lines.Add);

        // When the engine's messages arrive
        Feed(stream,
            Status("The push refers to repository [127.0.0.1:5000/a/b]"),
            Status("Preparing", "aaa"), Status("Preparing", "bbb"),
            Status("Pushing", "aaa"), Status("Pushing", "aaa"), Status("Pushing", "aaa"),
            Status("Layer already exists", "bbb"), Status("Pushed", "aaa"),
            Status($"18: digest: {Digest} size: 523"));

        // Then one line per layer, no error, and the registry's digest
        Assert.Equal(["18: layer 1/2 already there", "18: layer 2/2 pushed"], lines);
        Assert.Null(stream.Error);
        Assert.Equal(Digest, stream.Digest);
    }

    [Fact]
    public void Keeps_the_first_error()
    {
        // Given a push that the registry refuses
        var stream = new PushStream("18", _ => { });

        // When the error arrives, then a later one
        Feed(stream,
            Status("Preparing", "aaa"),
            new JSONMessage { Error = new JSONError { Message = "unauthorized: authentication required" } },
            new JSONMessage { Error = new JSONError { Message = "something later" } });

        // Then the first error is kept and no digest is claimed
        Assert.Equal("unauthorized: authentication required", stream.Error);
        Assert.Null(stream.Digest);
    }

    private static JSONMessage Status(string status, string? id = null) => new() { Status = status, ID = id };

    private static void Feed(PushStream stream, params JSONMessage[] messages)
    {
        foreach (var message in messages)
        {
            stream.Report(message);
        }
    }
}
