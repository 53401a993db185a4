namespace PostgresReplication;

/// <summary>
/// Where an image keeps its data: its VOLUME paths and PGDATA. A node mounts its named volume on
/// the VOLUME that holds PGDATA (18+: /var/lib/postgresql above PGDATA; older: PGDATA itself).
/// </summary>
public sealed record ImageLayout(string Image, IReadOnlyList<string> Volumes, string? PgData)
{
    public string DataVolumePath
    {
        get
        {
            if (PgData is { } pgdata)
            {
                var holder = Volumes
                    .Where(v => Contains(v, pgdata))
                    .OrderByDescending(v => v.Length)
                    .FirstOrDefault();
                if (holder is not null)
                {
                    return holder;
                }
            }

            return Volumes.Count == 1
                ? Volumes[0]
                : throw new InvalidOperationException(
                    $"{Image} declares VOLUME {string.Join(", ", Volumes.DefaultIfEmpty("(none)"))} " +
                    $"and PGDATA {PgData ?? "(unset)"}: no single volume holds the data directory.");
        }
    }

    private static bool Contains(string volume, string path)
    {
        var root = volume.TrimEnd('/');
        return path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
    }
}
