namespace Replication.Tests.Scenarios;

/// <summary>Finds the repository from the test binary's folder, so tests run from any working directory.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string DockerDirectory => Path.Combine(Root, "docker");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "postgres-replication.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No postgres-replication.slnx above {AppContext.BaseDirectory}.");
    }
}
