namespace BuildRunner.Internal;

/// <summary>Finds the repository root the way NUKE does: the folder that holds <c>.nuke/</c>.</summary>
internal static class RepositoryRoot
{
    public const string MarkerFolder = ".nuke";

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
