namespace PostgresReplication;

/// <summary>A wait ran out of time; the message says what it waited for and what it last saw.</summary>
public sealed class WaitTimeoutException(string description, TimeSpan timeout, string lastSeen)
    : TimeoutException(Format(description, timeout, lastSeen))
{
    public string Description { get; } = description;

    public TimeSpan Timeout { get; } = timeout;

    public string LastSeen { get; } = lastSeen;

    internal static string Format(string description, TimeSpan timeout, string lastSeen) =>
        $"Timed out after {timeout.TotalSeconds:0.###} s waiting for {description}; last seen: {lastSeen}";
}
