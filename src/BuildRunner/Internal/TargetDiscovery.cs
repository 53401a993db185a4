using System.Reflection;

namespace BuildRunner.Internal;

/// <summary>Reads every <see cref="Target"/> property of a build object, in declaration order.</summary>
internal static class TargetDiscovery
{
    private const BindingFlags Declared =
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<TargetDefinition> Discover(object build)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var definitions = new List<TargetDefinition>();
        foreach (var property in TypeHierarchy(build.GetType()).SelectMany(type => type.GetProperties(Declared)))
        {
            // An override shows up once per level of the hierarchy; the first one is enough.
            if (!IsTarget(property) || !seen.Add(property.Name))
            {
                continue;
            }

            var declaration = (Target?)property.GetValue(build)
                ?? throw new BuildFailedException($"Target {property.Name} returned null.");
            definitions.Add(TargetDefinition.Create(property.Name, declaration, definitions.Count));
        }

        return definitions;
    }

    private static bool IsTarget(PropertyInfo property) =>
        property.PropertyType == typeof(Target)
        && property.GetMethod is not null
        && property.GetIndexParameters().Length == 0;

    /// <summary>Base classes first, so shared targets come before the build's own.</summary>
    private static IEnumerable<Type> TypeHierarchy(Type type)
    {
        var chain = new Stack<Type>();
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            chain.Push(current);
        }

        return chain;
    }
}
