using System.Globalization;
using BuildRunner;

namespace PostgresReplication;

/// <summary>
/// Runs docker/base/bootstrap-rootfs.sh (debootstrap of Debian's PostgreSQL packages) as a child
/// process; its output lines are the progress. Produces OUTDIR/rootfs.tar and OUTDIR/pg-version.
/// A foreign architecture's packages are configured under qemu, which takes about 15 minutes.
/// </summary>
internal static class RootfsBootstrap
{
    public static async Task<string> RunAsync(
        string script, int pgMajor, string outputDirectory, ImagePlatform platform, Action<string> progress, CancellationToken ct)
    {
        var major = pgMajor.ToString(CultureInfo.InvariantCulture);
        var result = await HostProcess.RunAsync(
            "bash", [script, major, outputDirectory, platform.DebianArchitecture], ct, onLine: line =>
            {
                if (line.Length > 0)
                {
                    progress(line);
                }
            });
        if (!result.Succeeded)
        {
            var lastError = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(script)} {pgMajor} exited with {result.ExitCode}: {lastError}");
        }

        return (await File.ReadAllTextAsync(Path.Combine(outputDirectory, "pg-version"), ct)).Trim();
    }
}
