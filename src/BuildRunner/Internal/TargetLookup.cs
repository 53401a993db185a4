using System.Runtime.CompilerServices;

namespace BuildRunner.Internal;

/// <summary>Finds a target by the name the user typed or by the delegate another target passed.</summary>
internal sealed class TargetLookup
{
    private readonly Dictionary<string, TargetDefinition> byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Target, TargetDefinition> byDeclaration = new(DeclarationComparer.Instance);

    public TargetLookup(IReadOnlyList<TargetDefinition> targets)
    {
        All = targets;
        foreach (var target in targets)
        {
            if (!byName.TryAdd(target.Name, target))
            {
                throw new BuildFailedException(
                    $"Targets {byName[target.Name].Name} and {target.Name} differ only in case; target names are case-insensitive.");
            }

            byDeclaration.TryAdd(target.Declaration, target);
        }
    }

    public IReadOnlyList<TargetDefinition> All { get; }

    public TargetDefinition Named(string name) =>
        byName.TryGetValue(name, out var target)
            ? target
            : throw new BuildFailedException($"Unknown target '{name}'. Valid targets: {string.Join(", ", All.Select(t => t.Name))}.");

    public TargetDefinition Declared(Target declaration, string referencedBy) =>
        byDeclaration.TryGetValue(declaration, out var target)
            ? target
            : throw new BuildFailedException(
                $"{referencedBy} refers to a target that is not a Target property of the build class.");

    /// <summary>
    /// An expression-bodied property (<c>Target Test => _ => ...</c>) builds a new delegate on each
    /// read, so references never match by identity; the compiled lambda and its closure object do.
    /// </summary>
    private sealed class DeclarationComparer : IEqualityComparer<Target>
    {
        public static DeclarationComparer Instance { get; } = new();

        public bool Equals(Target? x, Target? y) =>
            x is null || y is null
                ? ReferenceEquals(x, y)
                : x.Method == y.Method && ReferenceEquals(x.Target, y.Target);

        public int GetHashCode(Target obj) =>
            HashCode.Combine(obj.Method, obj.Target is null ? 0 : RuntimeHelpers.GetHashCode(obj.Target));
    }
}
