using System.Globalization;
using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>How a node ended when the image refused to start: exit code, how long it ran, its log, its error lines.</summary>
internal sealed record Refusal(long ExitCode, TimeSpan RanFor, string Log, IReadOnlyList<string> ErrorLines)
{
    public const string ErrorPrefix = "postgres-replication: error: ";

    /// <summary>Waits (bounded) for the node's container to exit and reads what it said.</summary>
    public static async Task<Refusal> AwaitAsync(ReplicationCluster cluster, PostgresNode node, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        long exitCode;
        try
        {
            exitCode = await node.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{node.Name} was expected to refuse to start and exit, but still runs after {timeout.TotalSeconds:0} s; " +
                $"its log ends:{Environment.NewLine}{await node.LogsAsync(20, ct)}");
        }

        // The engine's own clock, from the container's start to its exit.
        var state = (await cluster.Engine.Client.Containers.InspectContainerAsync(node.ContainerId, ct)).State
                    ?? throw new InvalidOperationException($"the engine reports no state for {node.Name}");
        var ranFor = DateTimeOffset.Parse(state.FinishedAt, CultureInfo.InvariantCulture)
                     - DateTimeOffset.Parse(state.StartedAt, CultureInfo.InvariantCulture);
        var log = await node.LogsAsync(200, ct);
        var errors = log.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith(ErrorPrefix, StringComparison.Ordinal))
            .ToList();
        return new Refusal(exitCode, ranFor, log, errors);
    }
}
