using System.Text.RegularExpressions;
using Docker.DotNet.Models;

namespace PostgresReplication.Publishing;

/// <summary>
/// Reads the engine's push stream as it arrives: reports each finished layer once (not every
/// progress tick), and keeps the first error and the digest the registry answered with.
/// Synchronous on purpose: <see cref="Progress{T}"/> would post messages after the push returned.
/// </summary>
internal sealed partial class PushStream(string tag, Action<string> report) : IProgress<JSONMessage>
{
    private readonly HashSet<string> layers = new(StringComparer.Ordinal);
    private readonly HashSet<string> finished = new(StringComparer.Ordinal);

    public string? Error { get; private set; }

    public string? Digest { get; private set; }

    public void Report(JSONMessage value)
    {
        var error = value.Error?.Message;
        if (!string.IsNullOrWhiteSpace(error))
        {
            Error ??= error.Trim();
            return;
        }

        var status = value.Status ?? "";
        if (DigestLine().Match(status) is { Success: true } digest)
        {
            Digest = digest.Groups["digest"].Value;
            return;
        }

        if (string.IsNullOrEmpty(value.ID) || value.ID == tag)
        {
            return;
        }

        layers.Add(value.ID);
        var outcome = status switch
        {
            "Pushed" => "pushed",
            "Layer already exists" => "already there",
            _ when status.StartsWith("Mounted from", StringComparison.Ordinal) => "mounted",
            _ => null,
        };
        if (outcome is not null && finished.Add(value.ID))
        {
            report($"{tag}: layer {finished.Count}/{layers.Count} {outcome}");
        }
    }

    // The registry's answer, e.g. "18: digest: sha256:0b1c... size: 523".
    [GeneratedRegex(@"digest: (?<digest>sha256:[0-9a-f]{64})", RegexOptions.CultureInvariant)]
    private static partial Regex DigestLine();
}
