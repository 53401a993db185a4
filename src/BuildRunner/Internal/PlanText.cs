namespace BuildRunner.Internal;

/// <summary>The <c>--plan</c> listing: what would run, in order, and what would not.</summary>
internal static class PlanText
{
    public static void Write(BuildOutput output, IReadOnlyList<PlannedTarget> plan)
    {
        output.Line($"Plan ({plan.Count} targets, nothing run):");
        var width = plan.Max(p => p.Definition.Name.Length);
        for (var i = 0; i < plan.Count; i++)
        {
            var (target, skipped) = plan[i];
            var note = skipped ? "skipped"
                : target.IsAssured ? "runs even after a failure"
                : target.Conditions.Count > 0 ? "only when its condition holds"
                : "";
            output.Line($"  {i + 1,2}. {target.Name.PadRight(width)}  {note}".TrimEnd());
        }
    }
}
