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

/// <summary>What a run did: one result per planned target, in plan order.</summary>
internal sealed record BuildResult(IReadOnlyList<TargetResult> Targets, TimeSpan Total)
{
    public bool Succeeded => Targets.All(t => t.Status is TargetStatus.Succeeded or TargetStatus.Skipped);

    public int ExitCode => Succeeded ? 0 : 1;

    public string? FirstFailure => Targets.FirstOrDefault(t => t.Status == TargetStatus.Failed)?.Name;
}
