namespace PostgresReplication.Publishing;

/// <summary>Publishing was asked for without the settings it needs; nothing was tagged or pushed.</summary>
public sealed class RegistrySettingsMissingException(string registry, IReadOnlyList<string> missing)
    : Exception($"Cannot publish to {registry}: set the {string.Join(", the ", missing)}.")
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
