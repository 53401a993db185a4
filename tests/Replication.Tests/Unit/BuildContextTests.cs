using System.Formats.Tar;
using System.Runtime.Versioning;
using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class BuildContextTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("build-context-").FullName;

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Scripts_stay_executable_and_dotfiles_and_subfolders_are_included()
    {
        // Given a context with an executable script, a dotfile and a nested file
        var script = Path.Combine(_folder, "entrypoint.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(_folder, ".dockerignore"), "*.tmp\n");
        Directory.CreateDirectory(Path.Combine(_folder, "lib"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "lib", "log.sh"), "log() { :; }\n");

        // When it is written as a tar stream
        using var tar = new MemoryStream();
        await BuildContext.WriteAsync(_folder, tar, CancellationToken.None);

        // Then every entry is there, with its mode
        tar.Position = 0;
        var entries = new Dictionary<string, TarEntry>();
        await using (var reader = new TarReader(tar))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                entries[entry.Name.TrimEnd('/')] = entry;
            }
        }

        Assert.Equal([".dockerignore", "entrypoint.sh", "lib", "lib/log.sh"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((UnixFileMode)0b111_101_101, entries["entrypoint.sh"].Mode);
        Assert.Equal(TarEntryType.Directory, entries["lib"].EntryType);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
