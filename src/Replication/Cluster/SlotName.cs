using System.Text;

namespace PostgresReplication;

/// <summary>
/// The image's default replication slot (and application_name) for a standby: its hostname
/// lower-cased, every character outside [a-z0-9_] replaced by '_'. Mirrors the entrypoint so the
/// probes know what to look for in pg_stat_replication.
/// </summary>
public static class SlotName
{
    public static string FromHostname(string hostname)
    {
        var slot = new StringBuilder(hostname.Length);
        foreach (var c in hostname.ToLowerInvariant())
        {
            slot.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' ? c : '_');
        }

        return slot.ToString();
    }
}
