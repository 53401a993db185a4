namespace BuildRunner;

/// <summary>
/// The one way to find the repository root, the way NUKE does: the folder that holds <c>.nuke/</c>.
/// The build starts from its working directory; tests and tools from their own binary's folder.
/// </summary>
public static class RepositoryRoot
{
    public const string MarkerFolder = ".nuke";

    private static readonly Lazy<string> ofProgram = new(() => Find(AppContext.BaseDirectory));

    /// <summary>The checkout this program was built in (tests run from any working directory).</summary>
    public static string OfProgram => ofProgram.Value;

    /// <summary>A path below <see cref="OfProgram"/>.</summary>
    public static string Combine(params string[] parts) => Path.Combine([OfProgram, .. parts]);

    public static string Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, MarkerFolder)))
            {
                return directory.FullName;
            }
        }

        throw new BuildFailedException(
            $"No {MarkerFolder}/ folder in {startDirectory} or above it; run the build from inside the repository.");
    }

    public static string ParametersFile(string root) => Path.Combine(root, MarkerFolder, "parameters.json");
}
