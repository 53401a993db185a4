using System.Text.Json;
using BuildRunner;
using Replication.Tests.Scenarios;

namespace Replication.Tests.Kubernetes;

/// <summary>One document's verdict from the JSON schemas: valid when it has no errors.</summary>
internal sealed record SchemaVerdict(string Kind, string Name, IReadOnlyList<string> Errors);

/// <summary>
/// npm's kubernetes-models (the API's OpenAPI schemas as JSON-schema validators) run by node on
/// models-validator/validate.mjs: it refuses a missing required field or a value of the wrong type
/// (not an unknown field: <see cref="KubernetesManifests.Load"/> catches those). The packages are
/// installed with <c>npm ci</c> from the committed lock file into the test output, once.
/// </summary>
internal static class ModelsValidator
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Kubernetes", "models-validator");
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool installed;

    public static async Task<IReadOnlyList<SchemaVerdict>> ValidateAsync(string yaml, CancellationToken ct)
    {
        await EnsureInstalledAsync(ct);
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, yaml, ct);
            var result = await HostProcess.RunAsync("node", ["validate.mjs", file], ct, workingDirectory: Directory);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"node validate.mjs failed: {result}");
            }

            return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize<SchemaVerdict>(line, JsonSerializerOptions.Web)
                    ?? throw new InvalidOperationException($"validate.mjs printed '{line}'"))];
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task EnsureInstalledAsync(CancellationToken ct)
    {
        await InstallLock.WaitAsync(ct);
        try
        {
            // npm ci leaves its own copy of the lock file; equal to ours, the install is current.
            var lockFile = Path.Combine(Directory, "package-lock.json");
            var installedLock = Path.Combine(Directory, "node_modules", ".package-lock.json");
            if (installed || (File.Exists(installedLock) && SameDependencies(lockFile, installedLock)))
            {
                installed = true;
                return;
            }

            var result = await HostProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], ct, workingDirectory: Directory);
            installed = result.ExitCode == 0
                ? true
                : throw new InvalidOperationException($"npm ci in {Directory} failed: {result}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Whether the installed packages are those of the lock file: same names and versions.</summary>
    private static bool SameDependencies(string lockFile, string installedLock)
    {
        static Dictionary<string, string> Versions(string file)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            return document.RootElement.GetProperty("packages").EnumerateObject()
                .Where(p => p.Name.Length > 0)
                .ToDictionary(p => p.Name, p => p.Value.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "");
        }

        var wanted = Versions(lockFile);
        var present = Versions(installedLock);
        return wanted.Count == present.Count && wanted.All(p => present.GetValueOrDefault(p.Key) == p.Value);
    }
}
