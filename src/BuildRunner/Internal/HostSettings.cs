namespace BuildRunner.Internal;

/// <summary>Everything the host takes from the process, so tests can hand in their own.</summary>
internal sealed record HostSettings(
    string WorkingDirectory,
    Func<string, string?> GetEnvironmentVariable,
    TextWriter Output,
    bool Rich)
{
    public static HostSettings FromConsole() => new(
        Directory.GetCurrentDirectory(),
        Environment.GetEnvironmentVariable,
        Console.Out,
        BuildOutput.IsRichConsole(Environment.GetEnvironmentVariable));

    public bool IsGitHubActions =>
        string.Equals(GetEnvironmentVariable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);
}
