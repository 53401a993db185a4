namespace PostgresReplication;

/// <summary>pgBackRest's backup types: a full copy, the changes since the last full, or since the last backup of any type.</summary>
public enum BackupType
{
    Full,
    Diff,
    Incr,
}

public static class BackupTypes
{
    /// <summary>The word pgBackRest takes for --type (and prints in <c>info</c>).</summary>
    public static string Word(this BackupType type) => type.ToString().ToLowerInvariant();

    /// <summary>null when <paramref name="word"/> is not one of full, diff, incr (exactly, as pgBackRest spells them).</summary>
    public static BackupType? Parse(string word) => word switch
    {
        "full" => BackupType.Full,
        "diff" => BackupType.Diff,
        "incr" => BackupType.Incr,
        _ => null,
    };
}
