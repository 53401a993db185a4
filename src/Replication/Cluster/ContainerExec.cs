using Docker.DotNet.Models;

namespace PostgresReplication;

internal sealed record ExecResult(long ExitCode, string Stdout, string Stderr);

/// <summary>Runs a command inside a running container through the Engine API (docker exec).</summary>
internal static class ContainerExec
{
    public static Task<ExecResult> RunAsync(
        DockerEngine engine, string containerId, IReadOnlyList<string> command, CancellationToken ct) =>
        RunAsync(engine, containerId, command, user: "", ct);

    /// <param name="user">Who runs it; empty for the container's user (root here).</param>
    public static async Task<ExecResult> RunAsync(
        DockerEngine engine, string containerId, IReadOnlyList<string> command, string user, CancellationToken ct)
    {
        var exec = await engine.Client.Exec.CreateContainerExecAsync(
            containerId,
            new ContainerExecCreateParameters { Cmd = [.. command], User = user, AttachStdout = true, AttachStderr = true },
            ct);
        string stdout, stderr;
        using (var stream = await engine.Client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), ct))
        {
            (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
        }

        // The output ends when the process does; the engine records its exit code a moment later.
        var exitCode = await Wait.UntilAsync(
            $"the exit code of '{string.Join(' ', command)}'",
            async token =>
            {
                var inspected = await engine.Client.Exec.InspectContainerExecAsync(exec.ID, token);
                return !inspected.Running && inspected.ExitCode is { } code
                    ? Probe<long>.Done(code)
                    : Probe<long>.NotYet("still running");
            },
            TimeSpan.FromSeconds(10),
            ct);
        return new ExecResult(exitCode, stdout, stderr);
    }
}
