using System.Reflection;

namespace BuildRunner.Internal;

/// <summary>A [Parameter] field or property, with the names a user sets it by.</summary>
internal sealed class ParameterMember
{
    private const BindingFlags Declared =
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private readonly Func<object, object?> read;
    private readonly Action<object, object?> write;

    private ParameterMember(
        MemberInfo member, Type type, ParameterAttribute attribute, Func<object, object?> read, Action<object, object?> write)
    {
        Member = member;
        ValueType = type;
        Description = attribute.Description;
        IsSecret = member.IsDefined(typeof(SecretAttribute), inherit: true);
        Name = attribute.Name ?? member.Name;
        Flag = "--" + NameCasing.Kebab(Name);
        EnvironmentNames = [.. attribute.ExtraEnvironmentNames.Prepend(NameCasing.ScreamingSnake(Name)).Distinct()];
        this.read = read;
        this.write = write;
    }

    public MemberInfo Member { get; }

    /// <summary>The member name, or the attribute's Name when the member's is taken (by a target, say); also the key in <c>.nuke/parameters.json</c>.</summary>
    public string Name { get; }

    public Type ValueType { get; }

    public string Description { get; }

    public bool IsSecret { get; }

    public string Flag { get; }

    public IReadOnlyList<string> EnvironmentNames { get; }

    public object? GetValue(object build) => read(build);

    public void SetValue(object build, object? value) => write(build, value);

    public static IReadOnlyList<ParameterMember> Discover(Type buildType)
    {
        var parameters = new List<ParameterMember>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
        {
            var members = type.GetFields(Declared).Cast<MemberInfo>().Concat(type.GetProperties(Declared));
            foreach (var member in members.OrderBy(m => m.MetadataToken))
            {
                if (member.GetCustomAttribute<ParameterAttribute>() is { } attribute
                    && !parameters.Any(p => p.Member.Name == member.Name))
                {
                    parameters.Add(Create(member, attribute));
                }
            }
        }

        return parameters;
    }

    private static ParameterMember Create(MemberInfo member, ParameterAttribute attribute)
    {
        return member switch
        {
            FieldInfo field => Checked(field.FieldType, field.GetValue, field.SetValue),
            PropertyInfo property => Checked(property.PropertyType, property.GetValue, Setter(property)),
            _ => throw new BuildFailedException($"Parameter {member.Name} must be a field or a property."),
        };

        ParameterMember Checked(Type type, Func<object, object?> read, Action<object, object?> write) =>
            ParameterValueParser.IsSupported(type)
                ? new ParameterMember(member, type, attribute, read, write)
                : throw new BuildFailedException(
                    $"Parameter {member.Name} has type {type.Name}; supported are string, int, bool, double, "
                    + "TimeSpan (seconds), string[], enums and their nullable forms.");
    }

    /// <summary>A get-only auto-property is set through its compiler-generated backing field.</summary>
    private static Action<object, object?> Setter(PropertyInfo property)
    {
        if (property.SetMethod is not null)
        {
            return property.SetValue;
        }

        var backingField = property.DeclaringType?.GetField($"<{property.Name}>k__BackingField", Declared)
            ?? throw new BuildFailedException($"Parameter {property.Name} needs a setter or must be an auto-property.");
        return backingField.SetValue;
    }
}
