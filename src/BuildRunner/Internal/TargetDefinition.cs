using System.Linq.Expressions;

namespace BuildRunner.Internal;

/// <summary>
/// What a <see cref="Target"/> delegate said about itself. References to other targets stay
/// delegates here; <see cref="TargetLookup"/> turns them into definitions.
/// </summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    private readonly List<Target> dependencies = [];
    private readonly List<Target> runsAfter = [];
    private readonly List<Target> runsBefore = [];
    private readonly List<Target> triggers = [];
    private readonly List<Func<bool>> conditions = [];
    private readonly List<Expression<Func<object?>>> requirements = [];
    private readonly List<Func<CancellationToken, Task>> actions = [];

    private TargetDefinition(string name, Target declaration, int order)
    {
        Name = name;
        Declaration = declaration;
        Order = order;
    }

    public string Name { get; }

    /// <summary>The delegate the target was declared with; other targets refer to it by this.</summary>
    public Target Declaration { get; }

    /// <summary>Declaration order, the tie-breaker that keeps plans stable.</summary>
    public int Order { get; }

    public string? DescriptionText { get; private set; }

    public bool IsAssured { get; private set; }

    public IReadOnlyList<Target> Dependencies => dependencies;

    public IReadOnlyList<Target> RunsAfter => runsAfter;

    public IReadOnlyList<Target> RunsBefore => runsBefore;

    public IReadOnlyList<Target> Triggered => triggers;

    public IReadOnlyList<Func<bool>> Conditions => conditions;

    public IReadOnlyList<Expression<Func<object?>>> Requirements => requirements;

    public IReadOnlyList<Func<CancellationToken, Task>> Actions => actions;

    public static TargetDefinition Create(string name, Target declaration, int order)
    {
        var definition = new TargetDefinition(name, declaration, order);
        try
        {
            declaration(definition);
        }
        catch (Exception exception)
        {
            throw new BuildFailedException($"Target {name} could not be defined: {exception.Message}", exception);
        }

        return definition;
    }

    public ITargetDefinition Description(string description)
    {
        DescriptionText = description;
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets) => Add(dependencies, targets);

    public ITargetDefinition After(params Target[] targets) => Add(runsAfter, targets);

    public ITargetDefinition Before(params Target[] targets) => Add(runsBefore, targets);

    public ITargetDefinition Triggers(params Target[] targets) => Add(triggers, targets);

    public ITargetDefinition OnlyWhen(Func<bool> condition) => Add(conditions, [condition]);

    public ITargetDefinition Requires(Expression<Func<object?>> parameter) => Add(requirements, [parameter]);

    public ITargetDefinition AssuredAfterFailure()
    {
        IsAssured = true;
        return this;
    }

    public ITargetDefinition Executes(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(actions, [_ =>
        {
            action();
            return Task.CompletedTask;
        }]);
    }

    public ITargetDefinition Executes(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(actions, [_ => action()]);
    }

    public ITargetDefinition Executes(Func<CancellationToken, Task> action) => Add(actions, [action]);

    private TargetDefinition Add<T>(List<T> list, T[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            list.Add(item ?? throw new BuildFailedException($"Target {Name} passes null in its definition."));
        }

        return this;
    }
}
