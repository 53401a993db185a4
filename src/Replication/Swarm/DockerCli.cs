using BuildRunner;

namespace PostgresReplication;

/// <summary>
/// The docker CLI, for what the Engine API does not offer as such (docker stack reads a compose
/// file) and for the commands the README tells Swarm users to type, run exactly as typed there.
/// </summary>
internal static class DockerCli
{
    /// <summary>Runs docker with <paramref name="arguments"/>; a non-zero exit throws with its output.</summary>
    public static async Task<string> RunAsync(
        IReadOnlyList<string> arguments,
        CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var result = await HostProcess.RunAsync("docker", arguments, ct, environment, workingDirectory);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed: {result}");
    }
}
