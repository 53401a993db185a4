namespace PostgresReplication.Publishing;

/// <summary>One tag now in the registry: its full reference and the manifest digest the registry stored.</summary>
public sealed record PublishedTag(string Tag, string Reference, string Digest);
