using System.Linq.Expressions;

namespace BuildRunner;

/// <summary>The fluent vocabulary a <see cref="Target"/> uses to describe itself.</summary>
public interface ITargetDefinition
{
    /// <summary>One line shown by <c>--help</c>.</summary>
    ITargetDefinition Description(string description);

    /// <summary>Runs these targets first, pulling them into the plan.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>Runs after these targets when they are in the plan; never pulls them in.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>Runs before these targets when they are in the plan; never pulls them in.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>Adds these targets to the plan, to run after this one.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>Evaluated right before the target would run; false marks it skipped.</summary>
    ITargetDefinition OnlyWhen(Func<bool> condition);

    /// <summary>
    /// Names a parameter that must have a value, e.g. <c>Requires(() => RegistryPassword)</c>.
    /// Checked for the whole plan before any target runs.
    /// </summary>
    ITargetDefinition Requires(Expression<Func<object?>> parameter);

    /// <summary>Still runs after an earlier failure or a cancellation, with a fresh token.</summary>
    ITargetDefinition AssuredAfterFailure();

    ITargetDefinition Executes(Action action);

    ITargetDefinition Executes(Func<Task> action);

    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}
