using System.Globalization;

namespace PostgresReplication;

/// <summary>
/// Where a restore stops replaying WAL, as the image takes it: exactly one of RECOVERY_TARGET_TIME,
/// RECOVERY_TARGET_LSN, RECOVERY_TARGET_NAME, or RECOVERY_TARGET=latest.
/// </summary>
public sealed record RecoveryTarget(string Variable, string Value)
{
    public static RecoveryTarget Latest { get; } = new("RECOVERY_TARGET", "latest");

    public static RecoveryTarget Time(DateTimeOffset time) => new("RECOVERY_TARGET_TIME", FormatTime(time));

    /// <summary>
    /// The moment halfway between two commits, to the microsecond (PostgreSQL's precision): a
    /// restore to it keeps the first and not the second.
    /// </summary>
    /// <exception cref="ArgumentException">The commits are not at least two microseconds apart, in order.</exception>
    public static RecoveryTarget Between(DateTimeOffset before, DateTimeOffset after)
    {
        const long ticksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;
        var middle = before.UtcTicks + ((after.UtcTicks - before.UtcTicks) / 2);
        var truncated = new DateTimeOffset(middle - (middle % ticksPerMicrosecond), TimeSpan.Zero);
        return truncated > before && truncated < after
            ? Time(truncated)
            : throw new ArgumentException($"no microsecond lies strictly between the commits at {FormatTime(before)} and {FormatTime(after)}");
    }

    /// <summary>
    /// A timestamp PostgreSQL reads back to the same microsecond whatever the server's TimeZone:
    /// ISO 8601 with an explicit offset, in UTC.
    /// </summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The target the pipeline's three options name: none for the latest, one for a target, and
    /// an error message (naming the options and the fix) for two or more or an unreadable value.
    /// </summary>
    public static (RecoveryTarget? Target, string? Error) FromOptions(string? time, string? lsn, string? name)
    {
        var given = new[] { ("--recovery-target-time", time), ("--recovery-target-lsn", lsn), ("--recovery-target-name", name) }
            .Where(option => !string.IsNullOrWhiteSpace(option.Item2))
            .ToList();
        if (given.Count > 1)
        {
            return (null, $"{string.Join(" and ", given.Select(g => g.Item1))} name different stops for one restore; give one of them (or none for the latest)");
        }

        if (!string.IsNullOrWhiteSpace(time))
        {
            return DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && HasOffset(time)
                ? (Time(parsed), null)
                : (null, $"--recovery-target-time '{time}' is not a time with a time zone; write it like 2026-12-04 15:30:00+00:00");
        }

        if (!string.IsNullOrWhiteSpace(lsn))
        {
            return IsLsn(lsn)
                ? (new RecoveryTarget("RECOVERY_TARGET_LSN", lsn), null)
                : (null, $"--recovery-target-lsn '{lsn}' is not an LSN; write it as PostgreSQL prints one, like 0/3000060");
        }

        return string.IsNullOrWhiteSpace(name)
            ? (Latest, null)
            : (new RecoveryTarget("RECOVERY_TARGET_NAME", name), null);
    }

    public IReadOnlyDictionary<string, string?> Environment() => new Dictionary<string, string?> { [Variable] = Value };

    public override string ToString() => Variable == Latest.Variable ? "the latest" : $"{Variable}={Value}";

    /// <summary>A restore at an unknown offset would stop at another moment than the user meant.</summary>
    private static bool HasOffset(string time) =>
        System.Text.RegularExpressions.Regex.IsMatch(time, @"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)\s*$");

    private static bool IsLsn(string lsn) =>
        lsn.Split('/') is [var high, var low]
        && high.Length is > 0 and <= 8 && low.Length is > 0 and <= 8
        && uint.TryParse(high, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _)
        && uint.TryParse(low, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _);
}
