using Docker.DotNet.Models;
using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class ImageBuildStreamTests
{
    [Fact]
    public void Stream_chunks_become_whole_lines_in_order_and_the_error_is_kept()
    {
        var lines = new List<string>();
        var output = new ImageBuildStream(lines.Add);

        output.Report(new JSONMessage { Stream = "Step 1/3 : FROM postgres-replication-base:18" });
        output.Report(new JSONMessage { Stream = "\n" });
        output.Report(new JSONMessage { Stream = " ---> 7462641cb166\nStep 2/3 : RUN fa" });
        output.Report(new JSONMessage { Stream = "lse\n" });
        output.Report(new JSONMessage { Error = new JSONError { Message = "The command '/bin/sh -c false' returned a non-zero code: 1" } });
        output.Flush();

        Assert.Equal(["Step 1/3 : FROM postgres-replication-base:18", " ---> 7462641cb166", "Step 2/3 : RUN false"], lines);
        Assert.Equal("The command '/bin/sh -c false' returned a non-zero code: 1", output.Error);
    }
}
