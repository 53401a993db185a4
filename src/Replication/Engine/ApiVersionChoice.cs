namespace PostgresReplication;

/// <summary>The Engine API version this process talks, and why (for the log line).</summary>
public sealed record ApiVersionChoice(Version Version, string Reason)
{
    public override string ToString() => $"{Version} ({Reason})";
}
