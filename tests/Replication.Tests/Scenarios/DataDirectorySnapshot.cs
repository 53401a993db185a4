using System.Formats.Tar;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;
using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>
/// Every entry under a path of a (stopped) container, read through the Engine API's archive call:
/// path, type, mode and owner, and for files a SHA-256 of the content. Two equal snapshots mean
/// nothing under the path was added, removed or changed.
/// </summary>
internal sealed class DataDirectorySnapshot
{
    private DataDirectorySnapshot(string path, SortedDictionary<string, string> entries)
    {
        Path = path;
        Entries = entries;
    }

    public string Path { get; }

    /// <summary>Entry path (relative to the archived folder) → its description.</summary>
    public IReadOnlyDictionary<string, string> Entries { get; }

    /// <summary>Entries that hold data (anything but directories): none means the folder is empty.</summary>
    public IReadOnlyList<string> Files => [.. Entries.Where(e => !e.Value.StartsWith("dir", StringComparison.Ordinal)).Select(e => e.Key)];

    /// <summary>A path that does not exist reads as an empty snapshot.</summary>
    public static async Task<DataDirectorySnapshot> TakeAsync(
        DockerEngine engine, string containerId, string path, CancellationToken ct)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        ContainerArchiveResponse archive;
        try
        {
            archive = await engine.Client.Containers.GetArchiveFromContainerAsync(
                containerId, new ContainerPathStatParameters { Path = path }, statOnly: false, ct);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return new DataDirectorySnapshot(path, entries);
        }

        // Buffered first: the engine client's chunked stream fails on the small reads the tar reader makes.
        using var tar = new MemoryStream();
        await using (var stream = archive.Stream ?? throw new InvalidOperationException($"the engine sent no archive of {path}"))
        {
            await stream.CopyToAsync(tar, ct);
        }

        tar.Position = 0;
        await using (var reader = new TarReader(tar))
        {
            while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                entries[entry.Name.TrimEnd('/')] = await DescribeAsync(entry, ct);
            }
        }

        return new DataDirectorySnapshot(path, entries);
    }

    /// <summary>One line per entry that differs between this snapshot and <paramref name="later"/>.</summary>
    public IReadOnlyList<string> DifferencesFrom(DataDirectorySnapshot later)
    {
        var names = Entries.Keys.Union(later.Entries.Keys).Order(StringComparer.Ordinal);
        return
        [
            .. names
                .Select(name => (name, before: Entries.GetValueOrDefault(name), after: later.Entries.GetValueOrDefault(name)))
                .Where(d => d.before != d.after)
                .Select(d => $"{d.name}: {d.before ?? "(absent)"} -> {d.after ?? "(absent)"}"),
        ];
    }

    private static async Task<string> DescribeAsync(TarEntry entry, CancellationToken ct)
    {
        var owner = string.Create(CultureInfo.InvariantCulture, $"{entry.Uid}:{entry.Gid} {Convert.ToString((int)entry.Mode, 8)}");
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                return $"dir {owner}";
            case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                return $"link {owner} -> {entry.LinkName}";
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                var hash = entry.DataStream is { } data
                    ? Convert.ToHexStringLower(await SHA256.HashDataAsync(data, ct))
                    : "empty";
                return $"file {owner} {entry.Length} B sha256 {hash}";
            default:
                return $"{entry.EntryType} {owner}";
        }
    }
}
