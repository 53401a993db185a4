using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BuildRunner;

namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// A real registry (Debian's docker-registry 2.8) on 127.0.0.1 with htpasswd basic auth,
/// storage in a temp folder, stopped and removed on dispose. Reads tags and digests back
/// through the registry's own HTTP API, so tests see what a client pulling would see.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory folder;
    private readonly Process process;
    private readonly StringBuilder output;
    private readonly HttpClient http;

    private LocalRegistry(TempDirectory folder, Process process, StringBuilder output, int port, string username, string password)
    {
        this.folder = folder;
        this.process = process;
        this.output = output;
        Port = port;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    public int Port { get; }

    /// <summary>Host and port, as an image reference and the engine's credentials name it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<LocalRegistry> StartAsync(string username, string password, CancellationToken ct)
    {
        var folder = new TempDirectory("registry");
        try
        {
            await File.WriteAllTextAsync(folder.File("htpasswd"), await HtpasswdAsync(username, password, ct), ct);
            // The free port is found by binding and releasing it; another process could take
            // it in between, so a registry that exits at once is retried on a new port.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                await File.WriteAllTextAsync(folder.File("config.yml"), Config(folder, port), ct);
                var output = new StringBuilder();
                var process = StartProcess(folder.File("config.yml"), output);
                var registry = new LocalRegistry(folder, process, output, port, username, password);
                try
                {
                    await registry.WaitUntilAnsweringAsync(ct);
                    return registry;
                }
                catch (RegistryExitedException) when (attempt < 3)
                {
                    await registry.StopProcessAsync();
                }
                catch
                {
                    await registry.StopProcessAsync();
                    throw;
                }
            }
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>The repository's tags; empty when the registry does not know the repository (404).</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository, CancellationToken ct)
    {
        using var response = await http.GetAsync($"v2/{repository}/tags/list", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>The manifest digest the registry serves for a tag, or null when the tag is absent.</summary>
    public async Task<string?> DigestAsync(string repository, string tag, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{tag}");
        // Without these the registry may convert the manifest to schema 1 and report that digest.
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.list.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
    }

    /// <summary>
    /// The manifest a tag (or digest) resolves to, as a client that understands indexes gets it:
    /// its media type, its digest and its JSON. Null when absent.
    /// </summary>
    public async Task<RegistryManifest?> ManifestAsync(string repository, string reference, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        foreach (var type in (string[])["application/vnd.docker.distribution.manifest.list.v2+json",
                     "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
                     "application/vnd.oci.image.manifest.v1+json"])
        {
            request.Headers.Accept.ParseAdd(type);
        }

        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return new RegistryManifest(
            response.Content.Headers.ContentType?.MediaType ?? "",
            response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : "",
            await response.Content.ReadAsStringAsync(ct));
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        folder.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken ct)
    {
        using var anonymous = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(
            $"the registry on {Address} to answer GET /v2/ with 401",
            async token =>
            {
                if (process.HasExited)
                {
                    throw new RegistryExitedException($"docker-registry exited with {process.ExitCode}: {RecentOutput()}");
                }

                try
                {
                    using var response = await anonymous.GetAsync("v2/", token);
                    return (response.StatusCode == HttpStatusCode.Unauthorized, $"HTTP {(int)response.StatusCode}");
                }
                catch (HttpRequestException e)
                {
                    return (false, e.Message);
                }
            },
            StartTimeout,
            ct);
    }

    private async Task StopProcessAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
    }

    private string RecentOutput()
    {
        lock (output)
        {
            var text = output.ToString().Trim();
            return text.Length > 600 ? text[^600..] : text;
        }
    }

    private static Process StartProcess(string configPath, StringBuilder output) =>
        // Drained continuously: a full pipe would stall the registry.
        HostProcess.Start("docker-registry", ["serve", configPath], line =>
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        });

    // The password goes through standard input (-i), not the argument list.
    private static async Task<string> HtpasswdAsync(string username, string password, CancellationToken ct)
    {
        var result = await HostProcess.RunAsync("htpasswd", ["-iBn", username], ct, standardInput: password);
        return result.Succeeded ? result.Stdout : throw new InvalidOperationException($"htpasswd failed: {result.Stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Config(TempDirectory folder, int port) =>
        $"""
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: {folder.File("data")}
        http:
          addr: 127.0.0.1:{port}
        auth:
          htpasswd:
            realm: publishing-tests
            path: {folder.File("htpasswd")}
        """;

    private sealed class RegistryExitedException(string message) : Exception(message);
}

/// <summary>A manifest as the registry served it.</summary>
public sealed record RegistryManifest(string MediaType, string Digest, string Json)
{
    /// <summary>"os/architecture" of each entry of an index; empty for a single image's manifest.</summary>
    public IReadOnlyList<string> Platforms()
    {
        using var json = JsonDocument.Parse(Json);
        return json.RootElement.TryGetProperty("manifests", out var manifests)
            ? manifests.EnumerateArray()
                .Select(m => m.GetProperty("platform"))
                .Select(p => $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}")
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }
}
