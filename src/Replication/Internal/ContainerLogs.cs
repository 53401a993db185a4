using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// Reads a container's log as text. The engine multiplexes stdout and stderr into frames; they are
/// decoded in arrival order so the entrypoint's stderr lines sit where they happened.
/// </summary>
internal static class ContainerLogs
{
    public static async Task<string> ReadAsync(DockerClient docker, string containerId, int tail, CancellationToken ct)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Tail = tail.ToString(CultureInfo.InvariantCulture),
        };
        using var stream = await docker.Containers.GetContainerLogsAsync(containerId, parameters, ct);
        var text = new StringBuilder();
        // One decoder per stream: a UTF-8 character may be split across two frames of the same stream.
        var decoders = new Dictionary<MultiplexedStream.TargetStream, Decoder>();
        var bytes = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        while (true)
        {
            var read = await stream.ReadOutputAsync(bytes, 0, bytes.Length, ct);
            if (read.EOF)
            {
                return text.ToString();
            }

            if (!decoders.TryGetValue(read.Target, out var decoder))
            {
                decoders[read.Target] = decoder = Encoding.UTF8.GetDecoder();
            }

            var count = decoder.GetChars(bytes, 0, read.Count, chars, 0);
            text.Append(chars, 0, count);
        }
    }

    /// <summary>The last non-empty lines of a log text.</summary>
    public static IReadOnlyList<string> LastLines(string log, int count) =>
        [.. log.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).TakeLast(count)];
}
