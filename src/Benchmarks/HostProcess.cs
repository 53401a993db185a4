using System.Diagnostics;
using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// Runs a host command to its end and returns what it printed; a non-zero exit throws with the
/// command's own last lines. PostgreSQL refuses to run as root, so its tools run as the postgres
/// OS user (setpriv). Cancelling kills the command and its children.
/// </summary>
internal static class HostProcess
{
    public const string PostgresUser = "postgres";

    public static async Task<string> RunAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken ct,
        bool asPostgres = false, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        using var process = new Process { StartInfo = StartInfo(fileName, arguments, asPostgres, environment, workingDirectory) };
        process.StartInfo.RedirectStandardOutput = true;
        process.StartInfo.RedirectStandardError = true;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchmarkException($"Could not start {fileName}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }

        var text = Text(output);
        if (process.ExitCode != 0)
        {
            throw new BenchmarkException(
                $"{Path.GetFileName(fileName)} exited with code {process.ExitCode}: {LastLines(text, 8)}");
        }

        return text;
    }

    /// <summary>The start info for a command, run as the postgres OS user when asked (never as root for PostgreSQL).</summary>
    public static ProcessStartInfo StartInfo(
        string fileName, IReadOnlyList<string> arguments, bool asPostgres,
        IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo
        {
            FileName = asPostgres ? "setpriv" : fileName,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var argument in new[] { $"--reuid={PostgresUser}", $"--regid={PostgresUser}", "--init-groups", "--", fileName })
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

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

    public static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(count));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
