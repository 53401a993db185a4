namespace PostgresReplication;

/// <summary>
/// A pgBackRest repository on a labelled named volume that every node of a cluster mounts, given
/// to the image through pgBackRest's own variables (the image's contract: any PGBACKREST_REPO1_*
/// set means "configured"). The volume belongs to the run, so the cluster's disposal removes it.
/// </summary>
public sealed record BackupRepository
{
    /// <summary>Where the image creates the repository path owned by postgres, so a named volume there is writable.</summary>
    public const string MountPath = "/var/lib/pgbackrest";

    public string Stanza { get; init; } = "main";

    /// <summary>Full backups kept; the oldest of one more is expired with its WAL.</summary>
    public int RetentionFull { get; init; } = 2;

    /// <summary>The volume's name: pgrepl-{run}-backup.</summary>
    public static string VolumeName(ClusterOptions options) => $"{options.NetworkName}-backup";

    /// <summary>What every node gets: the repository path, the stanza and the retention.</summary>
    public IReadOnlyDictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["PGBACKREST_REPO1_PATH"] = MountPath,
        ["PGBACKREST_REPO1_RETENTION_FULL"] = RetentionFull.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PGBACKREST_STANZA"] = Stanza,
    };
}
