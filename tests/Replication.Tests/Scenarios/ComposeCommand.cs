using BuildRunner;

namespace Replication.Tests.Scenarios;

/// <summary>
/// The Compose a scenario drives, decided here and nowhere else: Compose v2, the docker CLI
/// plugin (<c>docker compose</c>), where the plugin answers, else v1 (<c>docker-compose</c>),
/// which GitHub's Ubuntu runners no longer carry and Debian bookworm still does.
/// COMPOSE_COMMAND set to either spelling forces it, so CI runs the scenarios with each.
/// </summary>
public sealed record ComposeCommand(string Program, IReadOnlyList<string> Arguments)
{
    public const string Variable = "COMPOSE_COMMAND";
    public static readonly ComposeCommand V2 = new("docker", ["compose"]);
    public static readonly ComposeCommand V1 = new("docker-compose", []);

    public override string ToString() => string.Join(' ', [Program, .. Arguments]);

    /// <summary>The forced one (checked to answer), else v2 when its plugin answers, else v1.</summary>
    public static async Task<ComposeCommand> DetectAsync(CancellationToken ct)
    {
        var forced = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(forced))
        {
            return await AnswersAsync(V2, ct) ? V2 : V1;
        }

        var command = new[] { V2, V1 }.FirstOrDefault(c => c.ToString() == forced)
            ?? throw new InvalidOperationException($"{Variable}='{forced}' is neither '{V2}' nor '{V1}': set one of them, or unset it to use the plugin where it is installed.");
        return await AnswersAsync(command, ct)
            ? command
            : throw new InvalidOperationException($"{Variable}='{forced}' but '{command} version' does not run: install it (README, \"Tools\") or unset {Variable}.");
    }

    private static async Task<bool> AnswersAsync(ComposeCommand command, CancellationToken ct)
    {
        try
        {
            return (await HostProcess.RunAsync(command.Program, [.. command.Arguments, "version"], ct)).Succeeded;
        }
        catch (InvalidOperationException e) when (e.InnerException is System.ComponentModel.Win32Exception)
        {
            // The program is not on PATH at all.
            return false;
        }
    }
}
