using System.Formats.Tar;

namespace PostgresReplication;

/// <summary>
/// Writes a folder as the tar stream the build API takes. TarWriter copies each file's mode, so
/// entrypoint scripts stay executable inside the image.
/// </summary>
internal static class BuildContext
{
    /// <param name="excluded">Subfolders (relative, '/'-separated) left out with everything in them.</param>
    public static async Task WriteAsync(string directory, Stream destination, CancellationToken ct, IReadOnlyList<string>? excluded = null)
    {
        var root = Path.GetFullPath(directory);
        await using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var path in EntriesInStableOrder(root, excluded))
        {
            var name = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            await tar.WriteEntryAsync(path, name, ct);
        }
    }

    /// <summary>
    /// A SHA-256 of what the build sees: every entry's relative path and type, each file's
    /// executable bit and content. Timestamps play no part, so a checkout or a touch changes nothing.
    /// </summary>
    public static void AppendFingerprint(string directory, System.Security.Cryptography.IncrementalHash hash, IReadOnlyList<string>? excluded = null)
    {
        var root = Path.GetFullPath(directory);
        foreach (var path in EntriesInStableOrder(root, excluded))
        {
            var name = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            var isFile = File.Exists(path);
            var executable = isFile && !OperatingSystem.IsWindows()
                && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{name}\0{(isFile ? "f" : "d")}{(executable ? "x" : "-")}\0"));
            if (isFile)
            {
                hash.AppendData(File.ReadAllBytes(path));
            }
        }
    }

    private static IEnumerable<string> EntriesInStableOrder(string root, IReadOnlyList<string>? excluded)
    {
        // Unix dotfiles count as hidden; the default options would silently drop them.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        return Directory.EnumerateFileSystemEntries(root, "*", options)
            .Where(path => !IsExcluded(Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), excluded ?? []))
            .Order(StringComparer.Ordinal);
    }

    private static bool IsExcluded(string name, IReadOnlyList<string> excluded) =>
        excluded.Any(folder => name == folder || name.StartsWith(folder + "/", StringComparison.Ordinal));
}
