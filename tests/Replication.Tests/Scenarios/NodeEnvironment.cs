using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>Extra environment for one node, as the <c>configure</c> step of <c>RunClusterAsync</c>; a null value removes a variable.</summary>
internal static class NodeEnvironment
{
    public static Func<ClusterOptions, ClusterOptions> For(string node, params (string Name, string? Value)[] variables) =>
        options => options with
        {
            NodeEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string?>>
            {
                [node] = variables.ToDictionary(v => v.Name, v => v.Value),
            },
        };
}
