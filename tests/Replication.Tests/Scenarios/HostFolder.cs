namespace Replication.Tests.Scenarios;

/// <summary>
/// A host folder to bind-mount into a node (init scripts, secret files), readable by the container's
/// postgres user, whose uid is not the test's; its files can be rewritten between two starts.
/// Deleted on dispose.
/// </summary>
internal sealed class HostFolder : IDisposable
{
    private const UnixFileMode Readable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode Executable =
        Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("pgrepl-host-");

    public HostFolder() => SetMode(_folder.FullName, Executable);

    /// <summary>Where the folder is on the host.</summary>
    public string Path => _folder.FullName;

    /// <summary>The bind mount of this folder at <paramref name="containerPath"/>, read-only.</summary>
    public string BindAt(string containerPath) => $"{_folder.FullName}:{containerPath}:ro";

    /// <summary>The folder as /docker-entrypoint-initdb.d.</summary>
    public string InitScriptsBind => BindAt("/docker-entrypoint-initdb.d");

    /// <summary>Writes a text file; scripts ending in .sh are made executable, as users ship them.</summary>
    public HostFolder Write(string name, string content) =>
        Write(name, System.Text.Encoding.UTF8.GetBytes(content.ReplaceLineEndings("\n")));

    public HostFolder Write(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, content);
        SetMode(path, name.EndsWith(".sh", StringComparison.Ordinal) ? Executable : Readable);
        return this;
    }

    /// <summary>Writes an executable text file whatever its name (a stand-in for a program on the PATH).</summary>
    public HostFolder WriteProgram(string name, string content)
    {
        Write(name, content);
        SetMode(System.IO.Path.Combine(_folder.FullName, name), Executable);
        return this;
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
