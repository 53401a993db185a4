namespace BuildRunner.Internal;

internal enum TargetStatus
{
    Succeeded,
    Failed,
    Skipped,
    NotRun,
}

/// <summary>One row of the summary table.</summary>
internal sealed record TargetResult(string Name, TargetStatus Status, TimeSpan Duration)
{
    public static string Describe(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded => "succeeded",
        TargetStatus.Failed => "failed",
        TargetStatus.Skipped => "skipped",
        _ => "not run",
    };
}
