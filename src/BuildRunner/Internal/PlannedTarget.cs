namespace BuildRunner.Internal;

/// <summary>One step of the execution plan; a skipped step is listed but not run.</summary>
internal sealed record PlannedTarget(TargetDefinition Definition, bool Skipped);
