using System.Globalization;

namespace PostgresReplication;

/// <summary>
/// Picks the Engine API version the way the docker CLI does: the engine's ping says the newest
/// version it serves, the client says the newest it was written for, the lower one wins, and
/// DOCKER_API_VERSION overrides both. Pure, so it is tested without an engine.
/// </summary>
public static class ApiVersionNegotiation
{
    /// <summary>
    /// The newest version this code is used with. 1.44 is also the oldest version current engines
    /// (Docker 29) accept, so one ceiling serves both old and new engines.
    /// </summary>
    public static readonly Version ClientMaximum = new(1, 44);

    /// <summary>What the docker CLI assumes when an engine's ping carries no API-Version header.</summary>
    public static readonly Version EngineSilentFallback = new(1, 24);

    public static ApiVersionChoice Choose(string? engineApiVersionHeader, string? environmentOverride)
    {
        if (!string.IsNullOrWhiteSpace(environmentOverride))
        {
            return TryParse(environmentOverride, out var forced)
                ? new ApiVersionChoice(forced, $"DOCKER_API_VERSION={environmentOverride.Trim()}")
                : throw new ArgumentException(
                    $"DOCKER_API_VERSION='{environmentOverride}' is not an API version such as 1.41.",
                    nameof(environmentOverride));
        }

        if (!TryParse(engineApiVersionHeader, out var engine))
        {
            return new ApiVersionChoice(
                Min(EngineSilentFallback, ClientMaximum),
                "the engine's ping named no API version");
        }

        return engine < ClientMaximum
            ? new ApiVersionChoice(engine, $"engine serves up to {engine}, client up to {ClientMaximum}")
            : new ApiVersionChoice(ClientMaximum, $"client up to {ClientMaximum}, engine serves up to {engine}");
    }

    internal static bool TryParse(string? text, out Version version)
    {
        version = new Version(0, 0);
        var trimmed = text?.Trim().TrimStart('v', 'V');
        var parts = trimmed?.Split('.');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new Version(major, minor);
        return true;
    }

    private static Version Min(Version a, Version b) => a < b ? a : b;
}

/// <summary>The Engine API version this process talks, and why (for the log line).</summary>
public sealed record ApiVersionChoice(Version Version, string Reason)
{
    public override string ToString() => $"{Version} ({Reason})";
}
