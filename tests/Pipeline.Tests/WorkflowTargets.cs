using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests;

/// <summary>
/// The <c>./build.sh</c> targets a GitHub Actions workflow calls, so a test can check each
/// exists: the words after <c>build.sh</c> in every <c>run:</c> step, up to the first option,
/// redirection or end of the command.
/// </summary>
internal static class WorkflowTargets
{
    public const string BuildScript = "build.sh";

    public static async Task<IReadOnlySet<string>> FromFileAsync(string path, CancellationToken ct) =>
        FromYaml(await File.ReadAllTextAsync(path, ct));

    public static IReadOnlySet<string> FromYaml(string yaml)
    {
        var targets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var script in ScriptsOf(yaml))
        {
            targets.UnionWith(FromScript(script));
        }

        return targets;
    }

    /// <summary>Every <c>run:</c> script of a workflow, in the order the file lists them.</summary>
    public static IReadOnlyList<string> ScriptsOf(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.SelectMany(d => RunScripts(d.RootNode))];
    }

    /// <summary>The targets one shell script passes to build.sh.</summary>
    public static IEnumerable<string> FromScript(string script)
    {
        var words = ShellWords.Split(script);
        for (var i = 0; i < words.Count; i++)
        {
            if (!IsBuildScript(words[i]))
            {
                continue;
            }

            for (i++; i < words.Count && IsTarget(words[i]); i++)
            {
                yield return words[i];
            }
        }
    }

    // Every scalar under a "run" key, wherever it sits (job steps, composite actions); a "run"
    // mapping such as defaults.run.shell holds settings, not a script.
    private static IEnumerable<string> RunScripts(YamlNode node) =>
        node switch
        {
            YamlMappingNode mapping => mapping.Children.SelectMany(entry =>
                entry.Key is YamlScalarNode { Value: "run" } && entry.Value is YamlScalarNode { Value: { } script }
                    ? [script]
                    : RunScripts(entry.Value)),
            YamlSequenceNode sequence => sequence.Children.SelectMany(RunScripts),
            _ => [],
        };

    private static bool IsBuildScript(string word) =>
        word == BuildScript || word.EndsWith("/" + BuildScript, StringComparison.Ordinal);

    // Stops at options (--pg-version), separators, redirections and expressions.
    private static bool IsTarget(string word) =>
        word.Length > 0 && char.IsAsciiLetter(word[0]) && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
