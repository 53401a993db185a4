using System.Reflection;
using BuildRunner;

namespace Pipeline.Tests;

/// <summary>The targets the real build declares, read the way the runner finds them.</summary>
static class BuildTargets
{
    public static IReadOnlySet<string> Names { get; } = typeof(Build)
        .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .Where(p => p.PropertyType == typeof(Target))
        .Select(p => p.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static string RepositoryRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".nuke")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No .nuke folder above the test binaries.");
    }
}
