using System.Text;
using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// Turns the build's JSON message stream into whole lines for the progress callback, and
/// remembers the error the engine sends instead of failing the call.
/// Reported synchronously (not through Progress&lt;T&gt;) so lines keep their order.
/// </summary>
internal sealed class ImageBuildStream(Action<string> progress) : IProgress<JSONMessage>
{
    private readonly StringBuilder _partial = new();

    public string? Error { get; private set; }

    public void Report(JSONMessage value)
    {
        if (value.Error?.Message is { Length: > 0 } error)
        {
            Error = error;
        }

        var text = value.Stream ?? value.Status;
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        _partial.Append(text);
        EmitCompleteLines();
    }

    public void Flush()
    {
        if (_partial.Length > 0)
        {
            Emit(_partial.ToString());
            _partial.Clear();
        }
    }

    private void EmitCompleteLines()
    {
        var buffered = _partial.ToString();
        var end = buffered.LastIndexOf('\n');
        if (end < 0)
        {
            return;
        }

        foreach (var line in buffered[..end].Split('\n'))
        {
            Emit(line);
        }

        _partial.Clear().Append(buffered[(end + 1)..]);
    }

    private void Emit(string line)
    {
        var trimmed = line.TrimEnd('\r', ' ');
        if (trimmed.Length == 0)
        {
            return;
        }

        progress(trimmed);
    }
}
