using Spectre.Console;
using Spectre.Console.Rendering;

namespace BuildRunner.Internal;

/// <summary>
/// Where everything the runner and the build say ends up. Plain lines when the output is a
/// file, a pipe or a CI log; colours on a terminal; GitHub Actions groups and annotations when
/// running there. Every line passes through <see cref="SecretMasker"/> first.
/// </summary>
internal sealed class BuildOutput
{
    private static readonly AsyncLocal<BuildOutput?> current = new();
    private static readonly Lazy<BuildOutput> console = new(() =>
    {
        var settings = HostSettings.FromConsole();
        return new BuildOutput(settings.Output, settings.Rich, settings.IsGitHubActions, verbose: false);
    });

    private readonly TextWriter writer;
    private readonly IAnsiConsole? terminal;
    private readonly bool githubActions;
    private readonly Lock gate = new();

    public BuildOutput(TextWriter writer, bool rich, bool githubActions, bool verbose)
    {
        this.writer = writer;
        this.githubActions = githubActions;
        Verbose = verbose;
        terminal = rich ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) }) : null;
    }

    /// <summary>
    /// The output of the build running on this async flow, so <see cref="Log"/> needs no
    /// argument and builds running side by side (tests) do not mix their output.
    /// </summary>
    public static BuildOutput Current
    {
        get => current.Value ?? console.Value;
        set => current.Value = value;
    }

    public bool Verbose { get; }

    public bool IsRich => terminal is not null;

    public static bool IsRichConsole(Func<string, string?> environment) =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(environment("CI"));

    public BuildOutput WithVerbose(bool verbose) => new(writer, IsRich, githubActions, verbose);

    public void Line(string text) => Write(text, style: null);

    public void Info(string message) => Write(message, style: null);

    public void Warn(string message) =>
        Write(githubActions ? $"::warning::{Annotation(message)}" : $"warning: {message}", new Style(Color.Yellow));

    public void Error(string message) =>
        Write(githubActions ? $"::error::{Annotation(message)}" : $"error: {message}", new Style(Color.Red));

    public void Debug(string message)
    {
        if (Verbose)
        {
            Write(message, new Style(Color.Grey));
        }
    }

    public void BeginTarget(string name)
    {
        if (githubActions)
        {
            Line($"::group::{name}");
        }
        else if (terminal is not null)
        {
            Render(new Rule($"[bold]{Markup.Escape(SecretMasker.Mask(name))}[/]").LeftJustified());
        }
        else
        {
            Line($"=== {name} ===");
        }
    }

    public void EndTarget()
    {
        if (githubActions)
        {
            Line("::endgroup::");
        }
    }

    /// <summary>Only for a terminal; callers mask the text they put into the renderable.</summary>
    public void Render(IRenderable renderable)
    {
        lock (gate)
        {
            (terminal ?? throw new InvalidOperationException("Renderables need a terminal.")).Write(renderable);
        }
    }

    private void Write(string text, Style? style)
    {
        var masked = SecretMasker.Mask(text);
        lock (gate)
        {
            if (terminal is null)
            {
                writer.WriteLine(masked);
            }
            else
            {
                terminal.WriteLine(masked, style);
            }
        }
    }

    // Workflow commands end at the line break; GitHub decodes %0A back into one.
    private static string Annotation(string message) => message.Replace("\r", "", StringComparison.Ordinal)
        .Replace("\n", "%0A", StringComparison.Ordinal);
}
