using System.Diagnostics;
using System.Text;

namespace PostgresReplication.Publishing.Tests;

/// <summary>Runs the repository's ./build.sh as a user would, each output line to the test's log as it comes.</summary>
public static class BuildScript
{
    /// <param name="environment">Added to the test's own; how secrets are passed, never as arguments.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, Action<string> line, CancellationToken ct)
    {
        var start = new ProcessStartInfo(RepositoryRoot.Combine("build.sh"))
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            line(e.Data);
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // The build's own Ctrl-C handling removes what it started; a kill leaves that to the labels.
            process.Kill(entireProcessTree: true);
            throw;
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
