using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace BuildRunner;

/// <summary>What a program printed and how it ended.</summary>
/// <param name="Output">Both streams, in the order their lines arrived.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public IEnumerable<string> Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}{Stdout}{Stderr}".TrimEnd();
}

/// <summary>
/// The one way to run a program on the host (git, docker, pgbench, PostgreSQL's tools, bash).
/// Arguments go as a list, never through a shell; secrets go through the environment or standard
/// input, never the argument list, which any user sees in <c>ps</c>. Both streams are read as
/// they come, so a full pipe never stalls the child. Cancelling kills the program and its children.
/// </summary>
public static class HostProcess
{
    /// <summary>Runs a program to its end; a non-zero exit is returned, not thrown.</summary>
    /// <param name="environment">Added to this process's environment, for the child only (e.g. PGPASSWORD).</param>
    /// <param name="standardInput">Written to the child's standard input, which is then closed.</param>
    /// <param name="onLine">Called with each line of either stream as it arrives (progress).</param>
    public static async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        string? standardInput = null,
        Action<string>? onLine = null)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var both = new StringBuilder();
        var gate = new Lock();
        void Add(StringBuilder stream, string line)
        {
            lock (gate)
            {
                stream.AppendLine(line);
                both.AppendLine(line);
            }

            onLine?.Invoke(line);
        }

        var info = StartInfo(program, arguments, environment, workingDirectory);
        info.RedirectStandardInput = standardInput is not null;
        using var process = Start(info, line => Add(stdout, line), line => Add(stderr, line));
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), ct);
                process.StandardInput.Close();
            }

            // Also waits until both streams reached their end.
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }

        lock (gate)
        {
            return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString(), both.ToString());
        }
    }

    /// <summary>Starts a program that runs alongside (a server); its lines go to <paramref name="onLine"/> until it ends.</summary>
    public static Process Start(
        string program,
        IEnumerable<string> arguments,
        Action<string> onLine,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null) =>
        Start(StartInfo(program, arguments, environment, workingDirectory), onLine, onLine);

    /// <summary>Kills a program and its children, if it still runs.</summary>
    public static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
    }

    /// <summary>The last non-empty lines of some output, on one line, for an error message.</summary>
    public static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(count));
    }

    private static ProcessStartInfo StartInfo(
        string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static Process Start(ProcessStartInfo info, Action<string> onStdout, Action<string> onStderr)
    {
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onStdout(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onStderr(e.Data);
            }
        };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start {info.FileName}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
