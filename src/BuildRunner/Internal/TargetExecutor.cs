using System.Diagnostics;
using System.Reflection;

namespace BuildRunner.Internal;

/// <summary>
/// Runs a plan in order. After a failure or a cancellation only assured targets still run,
/// so cleanup happens whatever went wrong before it.
/// </summary>
internal sealed class TargetExecutor(BuildOutput output)
{
    public async Task<BuildResult> RunAsync(IReadOnlyList<PlannedTarget> plan, CancellationToken cancellation)
    {
        var total = Stopwatch.StartNew();
        var results = new List<TargetResult>();
        var failed = false;
        foreach (var (target, skipped) in plan)
        {
            var halted = failed || cancellation.IsCancellationRequested;
            var result = skipped ? new TargetResult(target.Name, TargetStatus.Skipped, TimeSpan.Zero)
                : halted && !target.IsAssured ? new TargetResult(target.Name, TargetStatus.NotRun, TimeSpan.Zero)
                // Cleanup after Ctrl-C must not start with a token that is already cancelled.
                : await RunAsync(target, cancellation.IsCancellationRequested ? CancellationToken.None : cancellation);
            failed |= result.Status == TargetStatus.Failed;
            results.Add(result);
        }

        return new BuildResult(results, total.Elapsed);
    }

    private async Task<TargetResult> RunAsync(TargetDefinition target, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            if (!target.Conditions.All(condition => condition()))
            {
                output.Info($"Skipping {target.Name}: its OnlyWhen condition is false.");
                return new TargetResult(target.Name, TargetStatus.Skipped, TimeSpan.Zero);
            }

            output.BeginTarget(target.Name);
            try
            {
                foreach (var action in target.Actions)
                {
                    await action(cancellation);
                }
            }
            finally
            {
                output.EndTarget();
            }

            return new TargetResult(target.Name, TargetStatus.Succeeded, watch.Elapsed);
        }
        catch (Exception exception)
        {
            Report(target.Name, Unwrap(exception), cancellation);
            return new TargetResult(target.Name, TargetStatus.Failed, watch.Elapsed);
        }
    }

    private void Report(string target, Exception exception, CancellationToken cancellation)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellation.IsCancellationRequested:
                output.Error($"{target} was cancelled.");
                break;
            case BuildFailedException:
                output.Error($"{target} failed: {exception.Message}");
                break;
            default:
                output.Error($"{target} failed: {exception.Message} ({exception.GetType().Name})");
                output.Debug(exception.ToString());
                break;
        }
    }

    private static Exception Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => exception,
    };
}
