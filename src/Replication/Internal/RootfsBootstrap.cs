using System.Diagnostics;

namespace PostgresReplication;

/// <summary>
/// Runs docker/base/bootstrap-rootfs.sh (debootstrap of Debian's PostgreSQL packages) as a child
/// process; its stderr lines are the progress. Produces OUTDIR/rootfs.tar and OUTDIR/pg-version.
/// A foreign architecture's packages are configured under qemu, which takes about 15 minutes.
/// </summary>
internal static class RootfsBootstrap
{
    public static async Task<string> RunAsync(
        string script, int pgMajor, string outputDirectory, ImagePlatform platform, Action<string> progress, CancellationToken ct)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(pgMajor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(outputDirectory);
        start.ArgumentList.Add(platform.DebianArchitecture);

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start bash {script}.");
        var lastError = "";
        var stderr = PumpAsync(process.StandardError, line =>
        {
            lastError = line;
            progress(line);
        });
        var stdout = PumpAsync(process.StandardOutput, progress);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(stderr, stdout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(script)} {pgMajor} exited with {process.ExitCode}: {lastError}");
        }

        return (await File.ReadAllTextAsync(Path.Combine(outputDirectory, "pg-version"), ct)).Trim();
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> line)
    {
        while (await reader.ReadLineAsync() is { } text)
        {
            if (text.Length > 0)
            {
                line(text);
            }
        }
    }
}
