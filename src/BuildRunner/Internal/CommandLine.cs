namespace BuildRunner.Internal;

/// <summary>An option the runner itself understands, next to the build's parameters.</summary>
internal sealed record BuiltInOption(string Flag, OptionArity Arity, string Usage, string Description);

/// <summary>
/// Splits the arguments into target names and options. Each option takes as many of the
/// following words as its arity allows; the words left over are target names, so
/// <c>--verbose Test</c> and <c>Test --verbose</c> mean the same.
/// </summary>
internal sealed class CommandLine
{
    private CommandLine(IReadOnlyList<string> targets, IReadOnlyDictionary<string, IReadOnlyList<string>> options)
    {
        Targets = targets;
        Options = options;
    }

    public static IReadOnlyList<BuiltInOption> BuiltIns { get; } =
    [
        new("--help", OptionArity.Flag, "--help, -h", "Lists the targets and parameters"),
        new("--plan", OptionArity.Flag, "--plan", "Prints the ordered plan and runs nothing"),
        new("--skip", OptionArity.List, "--skip [targets]", "Skips the named targets; alone, skips all but the requested ones"),
        new("--verbose", OptionArity.Flag, "--verbose", "Shows debug messages and stack traces"),
    ];

    public IReadOnlyList<string> Targets { get; }

    /// <summary>Lower-case flags with their dashes (<c>--pg-version</c>) mapped to the words they took.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Options { get; }

    public static CommandLine Parse(IReadOnlyList<string> args, Func<string, OptionArity> arityOf)
    {
        var targets = new List<string>();
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? open = null;
        var arity = OptionArity.List;
        foreach (var arg in args)
        {
            if (IsOption(arg))
            {
                var (flag, inline) = Split(arg);
                open = options.TryGetValue(flag, out var words) ? words : options[flag] = [];
                arity = arityOf(flag);
                if (inline is not null)
                {
                    open.Add(inline);
                    open = null;
                }
            }
            else if (open is not null && Accepts(arity, open, arg))
            {
                open.Add(arg);
            }
            else
            {
                targets.Add(arg);
                open = null;
            }
        }

        return new CommandLine(targets, options.ToDictionary(o => o.Key, o => (IReadOnlyList<string>)o.Value));
    }

    /// <summary>True when the flag is present and not followed by <c>false</c>.</summary>
    public bool IsSet(string flag) =>
        Options.TryGetValue(flag, out var words)
        && !(words.Count == 1 && words[0].Equals("false", StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<string>? Values(string flag) => Options.TryGetValue(flag, out var words) ? words : null;

    private static bool IsOption(string arg) =>
        (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
        || (arg.Length > 1 && arg[0] == '-' && char.IsLetter(arg[1]));

    private static (string Flag, string? Inline) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var flag = (equals < 0 ? arg : arg[..equals]).ToLowerInvariant();
        return (flag == "-h" ? "--help" : flag, equals < 0 ? null : arg[(equals + 1)..]);
    }

    private static bool Accepts(OptionArity arity, List<string> taken, string word) => arity switch
    {
        OptionArity.Flag => taken.Count == 0 && bool.TryParse(word, out _),
        OptionArity.Single => taken.Count == 0,
        _ => true,
    };
}

/// <summary>How many of the words after an option belong to it; the rest are target names.</summary>
internal enum OptionArity
{
    /// <summary>Nothing, or one <c>true</c>/<c>false</c>.</summary>
    Flag,

    /// <summary>Exactly the next word.</summary>
    Single,

    /// <summary>Every word up to the next option.</summary>
    List,
}
