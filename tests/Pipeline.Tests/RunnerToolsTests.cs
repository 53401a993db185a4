using System.Text.RegularExpressions;
using BuildRunner;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests;

/// <summary>
/// GitHub's runner is not the machine the tests were written on: the programs the code runs, the
/// README's tool table and what ci.yml installs are held to one list, <see cref="RunnerTools"/>.
/// </summary>
public sealed partial class RunnerToolsTests
{
    private static readonly string CiWorkflow = RepositoryRoot.Combine(".github", "workflows", "ci.yml");

    [Fact]
    public void Every_program_the_code_runs_is_listed()
    {
        // Given the programs src, build and the tests start by name (the runner's own unit tests
        // start made-up ones on purpose, and are left out)
        var started = SourceFiles()
            .SelectMany(file => ProgramStart().Matches(File.ReadAllText(file)).Select(m => m.Groups["program"].Value))
            .ToHashSet(StringComparer.Ordinal);

        // Then the scan found the engine's CLI, and each program is in the list
        Assert.Contains("docker", started);
        var listed = RunnerTools.All.Select(t => t.Program).ToHashSet(StringComparer.Ordinal);
        Assert.All(started, program => Assert.True(listed.Contains(program), $"{program} is run by the code but missing from RunnerTools.All"));
    }

    [Fact]
    public async Task Ci_installs_every_listed_program_the_runner_lacks_before_the_tests()
    {
        // Given ci.yml's run scripts and the actions it uses
        var yaml = await File.ReadAllTextAsync(CiWorkflow);
        var scripts = WorkflowTargets.ScriptsOf(yaml).Select(ShellWords.Split).ToList();
        var installed = scripts.SelectMany(AptInstalled).ToHashSet(StringComparer.Ordinal);
        var uses = ActionsUsed(yaml).Select(u => u.Split('@')[0]).ToHashSet(StringComparer.Ordinal);

        // Then each apt package and action of the list is there, and nothing else is installed
        var packages = RunnerTools.All.Select(t => t.GitHub).OfType<RunnerSource.Apt>().Select(a => a.Package).ToHashSet(StringComparer.Ordinal);
        var actions = RunnerTools.All.Select(t => t.GitHub).OfType<RunnerSource.Action>().Select(a => a.Uses).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(packages.Order(StringComparer.Ordinal), installed.Order(StringComparer.Ordinal));
        Assert.Equal(actions.Order(StringComparer.Ordinal), uses.Where(u => u != "actions/checkout").Order(StringComparer.Ordinal));

        // And the packages are installed before the test suite runs
        var suite = scripts.FindIndex(words => words.SequenceEqual(["dotnet", "test"]));
        var install = scripts.FindIndex(words => AptInstalled(words).Any());
        Assert.True(suite >= 0 && install >= 0 && install < suite, "ci.yml must apt-get install the listed packages before `dotnet test`");
    }

    [Fact]
    public void The_readme_tool_table_is_the_list()
    {
        // Given the table of the README's "Tools" section: | `program` | used by | Debian | GitHub |
        var rows = File.ReadAllLines(RepositoryRoot.Combine("README.md"))
            .SkipWhile(line => line != "## Tools")
            .Skip(1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Select(line => ToolRow().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["program"].Value, m.Groups["debian"].Value.Trim(), m.Groups["github"].Value.Trim()))
            .ToList();

        // Then it has a row per listed program, in the list's order, saying the same
        var expected = RunnerTools.All.Select(t => (t.Program, t.Debian, t.GitHub.ToString())).ToList();
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void Reads_the_packages_of_apt_get_install_commands()
    {
        // Given a script with an update, an install with options, and an unrelated command
        var words = ShellWords.Split("sudo apt-get update -qq\nsudo apt-get install -y -qq --no-install-recommends a b && echo install c\n");

        // Then only the install's packages
        Assert.Equal(["a", "b"], AptInstalled(words));
    }

    private static IEnumerable<string> SourceFiles()
    {
        var excluded = new[] { "bin", "obj", "node_modules", "BuildRunner.Tests" };
        return new[] { "src", "build", "tests" }
            .SelectMany(d => Directory.EnumerateFiles(RepositoryRoot.Combine(d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Intersect(excluded).Any());
    }

    /// <summary>The packages after each <c>apt-get install</c> up to the end of its command, options left out.</summary>
    private static List<string> AptInstalled(IReadOnlyList<string> words)
    {
        var packages = new List<string>();
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] != "apt-get" || words[i + 1] != "install")
            {
                continue;
            }

            for (i += 2; i < words.Count && !IsCommandEnd(words[i]); i++)
            {
                if (!words[i].StartsWith('-'))
                {
                    packages.Add(words[i]);
                }
            }
        }

        return packages;
    }

    private static bool IsCommandEnd(string word) => word is ShellWords.Separator or ";" or "&&" or "||" or "|" or "&";

    private static IEnumerable<string> ActionsUsed(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.SelectMany(d => Uses(d.RootNode));

        static IEnumerable<string> Uses(YamlNode node) => node switch
        {
            YamlMappingNode mapping => mapping.Children.SelectMany(entry =>
                entry.Key is YamlScalarNode { Value: "uses" } && entry.Value is YamlScalarNode { Value: { } action }
                    ? [action]
                    : Uses(entry.Value)),
            YamlSequenceNode sequence => sequence.Children.SelectMany(Uses),
            _ => [],
        };
    }

    [GeneratedRegex(@"HostProcess\.(?:RunAsync|Start)\(\s*""(?<program>[^""]+)""")]
    private static partial Regex ProgramStart();

    [GeneratedRegex(@"^\| `(?<program>[^`]+)` \|[^|]*\|(?<debian>[^|]*)\|(?<github>[^|]*)\|$")]
    private static partial Regex ToolRow();
}
