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
}
