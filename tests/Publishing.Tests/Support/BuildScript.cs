using BuildRunner;

namespace PostgresReplication.Publishing.Tests;

/// <summary>Runs the repository's ./build.sh as a user would, each output line to the test's log as it comes.</summary>
public static class BuildScript
{
    /// <param name="environment">Added to the test's own; how secrets are passed, never as arguments.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, Action<string> line, CancellationToken ct)
    {
        var result = await HostProcess.RunAsync(
            RepositoryRoot.Combine("build.sh"), arguments, ct, environment, RepositoryRoot.OfProgram, onLine: line);
        return (result.ExitCode, result.Output);
    }
}
