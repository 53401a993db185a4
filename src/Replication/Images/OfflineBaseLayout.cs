namespace PostgresReplication;

/// <summary>
/// The offline base mirrors the official image's data layout per major version, so volumes and the
/// entrypoint behave the same on both: 18 moved PGDATA under a versioned folder and the VOLUME up.
/// </summary>
public sealed record OfflineBaseLayout(string PgData, string Volume)
{
    public static OfflineBaseLayout For(int pgMajor) => pgMajor >= 18
        ? new OfflineBaseLayout($"/var/lib/postgresql/{pgMajor}/docker", "/var/lib/postgresql")
        : new OfflineBaseLayout("/var/lib/postgresql/data", "/var/lib/postgresql/data");

    /// <summary>The tag the offline base is built under (and reused from).</summary>
    public static string TagFor(int pgMajor) => $"postgres-replication-base:{pgMajor}";

    /// <summary>The tag of the offline base for a platform: postgres-replication-base:15-arm64 beside the native :15.</summary>
    public static string TagFor(int pgMajor, ImagePlatform platform) => platform.LocalName(TagFor(pgMajor));
}
