namespace BuildRunner;

/// <summary>
/// Marks a field or property as a build parameter, set from <c>--kebab-case</c>, then the
/// SCREAMING_SNAKE environment variable (and <paramref name="extraEnvironmentNames"/>), then
/// <c>.nuke/parameters.json</c>; otherwise the member keeps its initializer.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description, params string[] extraEnvironmentNames) : Attribute
{
    public ParameterAttribute()
        : this(string.Empty)
    {
    }

    public string Description { get; } = description;

    public IReadOnlyList<string> ExtraEnvironmentNames { get; } = extraEnvironmentNames;

    /// <summary>The parameter's name when the member's own is taken, e.g. by a target of the same name.</summary>
    public string? Name { get; init; }
}

/// <summary>
/// Marks a parameter whose value is never printed; every occurrence of it in the runner's
/// output is replaced by <see cref="SecretMasker.Replacement"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
