using BuildRunner.Internal;

namespace BuildRunner.Tests.Support;

/// <summary>Target definitions made from local delegates: no build class, nothing started.</summary>
internal static class HandMadeTargets
{
    public static IReadOnlyList<TargetDefinition> Targets(params (string Name, Target Target)[] targets) =>
        [.. targets.Select((t, i) => TargetDefinition.Create(t.Name, t.Target, i))];

    public static string[] Names(IEnumerable<PlannedTarget> plan) => [.. plan.Select(p => p.Definition.Name)];

    public static string[] Skipped(IEnumerable<PlannedTarget> plan) =>
        [.. plan.Where(p => p.Skipped).Select(p => p.Definition.Name)];

    public static IReadOnlyList<PlannedTarget> Plan(IReadOnlyList<TargetDefinition> targets) =>
        [.. targets.Select(t => new PlannedTarget(t, Skipped: false))];
}
