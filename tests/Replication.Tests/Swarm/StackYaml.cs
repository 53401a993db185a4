using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Replication.Tests.Swarm;

/// <summary>Reading a stack file as Docker's parser does: its first document, keys reached through merges (<c>&lt;&lt;: *anchor</c>), compose durations.</summary>
internal static class StackYaml
{
    public static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlMappingNode Map(YamlMappingNode parent, string key) => (YamlMappingNode)Node(parent, key);

    public static string Scalar(YamlMappingNode parent, string key) => ((YamlScalarNode)Node(parent, key)).Value!;

    public static YamlSequenceNode Sequence(YamlMappingNode parent, string key) => (YamlSequenceNode)Node(parent, key);

    /// <summary>A compose duration of one unit, as the stack files write them: 5s, 10m, 24h.</summary>
    public static TimeSpan Duration(string text)
    {
        var amount = int.Parse(text[..^1], CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => throw new FormatException($"'{text}' is not a duration of one unit"),
        };
    }

    /// <summary>A key of a mapping, or of what it merges, as Docker's parser reads it.</summary>
    private static YamlNode Node(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value
        : parent.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) && merged is YamlMappingNode anchor ? Node(anchor, key)
        : throw new KeyNotFoundException($"no '{key}'");
}
