using System.Text.Json;

namespace PostgresReplication;

/// <summary>One backup set as <c>pgbackrest info --output=json</c> lists it.</summary>
public sealed record BackupSet(string Label, BackupType Type, DateTimeOffset Started, DateTimeOffset Stopped, long DatabaseBytes, long RepositoryBytes);

/// <summary>
/// A stanza as <c>pgbackrest info --output=json</c> describes it: its status code (0 is ok) and its
/// backups, oldest first. Read from the JSON, whose fields pgBackRest keeps stable, never from the text output.
/// </summary>
public sealed record BackupInfo(string Stanza, int StatusCode, string StatusMessage, IReadOnlyList<BackupSet> Backups)
{
    public IReadOnlyList<BackupSet> Full => [.. Backups.Where(b => b.Type == BackupType.Full)];

    /// <summary>The stanza named <paramref name="stanza"/> in the JSON array pgBackRest prints.</summary>
    /// <exception cref="FormatException">The JSON lacks the stanza or a field every pgBackRest since 2.x writes.</exception>
    public static BackupInfo Parse(string json, string stanza)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (element.GetProperty("name").GetString() != stanza)
            {
                continue;
            }

            var status = element.GetProperty("status");
            var backups = element.TryGetProperty("backup", out var list)
                ? list.EnumerateArray().Select(ReadBackup).OrderBy(b => b.Started).ThenBy(b => b.Label, StringComparer.Ordinal).ToList()
                : [];
            return new BackupInfo(
                stanza,
                status.GetProperty("code").GetInt32(),
                status.GetProperty("message").GetString() ?? "",
                backups);
        }

        throw new FormatException($"pgbackrest info lists no stanza named {stanza}");
    }

    private static BackupSet ReadBackup(JsonElement backup)
    {
        var typeWord = backup.GetProperty("type").GetString() ?? "";
        var timestamp = backup.GetProperty("timestamp");
        var info = backup.GetProperty("info");
        return new BackupSet(
            backup.GetProperty("label").GetString() ?? "",
            BackupTypes.Parse(typeWord) ?? throw new FormatException($"pgbackrest info lists a backup of unknown type '{typeWord}'"),
            DateTimeOffset.FromUnixTimeSeconds(timestamp.GetProperty("start").GetInt64()),
            DateTimeOffset.FromUnixTimeSeconds(timestamp.GetProperty("stop").GetInt64()),
            info.GetProperty("size").GetInt64(),
            info.GetProperty("repository").GetProperty("size").GetInt64());
    }
}
