using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PostgresReplication.Publishing;

/// <summary>
/// The few calls of the registry's HTTP API (distribution spec) the engine does not make for us:
/// describe a pushed manifest, and put a multi-platform index under a tag. It answers the
/// registry's challenge the way the engine does: Basic for a registry with htpasswd, a Bearer
/// token from the realm it names for Docker Hub and most hosted registries. Credentials travel
/// in request headers only, never in a URL, an argument or a message.
/// </summary>
internal sealed class RegistryApi : IDisposable
{
    private static readonly string[] ManifestTypes =
        [ManifestList.DockerManifestMediaType, ManifestList.OciManifestMediaType];

    private readonly RegistryDestination target;
    private readonly HttpClient http;
    private AuthenticationHeaderValue? authorization;

    public RegistryApi(RegistryDestination target, HttpMessageHandler? handler = null)
    {
        this.target = target;
        http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = BaseAddress(target);
        http.Timeout = TimeSpan.FromMinutes(2);
    }

    /// <summary>The repository's path in the API: Docker Hub's official images live under library/.</summary>
    public string RepositoryPath =>
        target.IsDockerHub && !target.Repository!.Contains('/', StringComparison.Ordinal) ? $"library/{target.Repository}" : target.Repository!;

    /// <summary>Media type and size of a manifest the registry holds, as an index entry needs them.</summary>
    public async Task<(string MediaType, long Size)> DescribeManifestAsync(string digest, CancellationToken ct)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{RepositoryPath}/manifests/{digest}");
            foreach (var type in ManifestTypes)
            {
                request.Headers.Accept.ParseAdd(type);
            }

            return request;
        }, $"reading manifest {digest}", ct);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var size = response.Content.Headers.ContentLength;
        return mediaType is not null && size is > 0
            ? (mediaType, size.Value)
            : throw new InvalidOperationException($"{target.Registry} described manifest {digest} without a media type or size.");
    }

    /// <summary>Stores <paramref name="document"/> under <paramref name="tag"/>; returns its digest, checked against the registry's.</summary>
    public async Task<string> PutManifestAsync(string tag, string mediaType, byte[] document, CancellationToken ct)
    {
        var digest = $"sha256:{Convert.ToHexStringLower(SHA256.HashData(document))}";
        using var response = await SendAsync(() =>
        {
            var content = new ByteArrayContent(document);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, $"v2/{RepositoryPath}/manifests/{tag}") { Content = content };
        }, $"putting the index under {tag}", ct);
        var stored = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : digest;
        return stored == digest
            ? digest
            : throw new InvalidOperationException($"{target.Registry} stored the index under {tag} as {stored}, not {digest}.");
    }

    public void Dispose() => http.Dispose();

    /// <summary>Sends, answers one authentication challenge, and sends again; any other failure throws.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string doing, CancellationToken ct)
    {
        var response = await SendOnceAsync(create, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized && authorization is null)
        {
            var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
            response.Dispose();
            authorization = await AnswerAsync(challenge, ct);
            response = await SendOnceAsync(create, ct);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        var status = (int)response.StatusCode;
        response.Dispose();
        var detail = AuthFailure.Detail($"HTTP {status} {body}", target.Password);
        throw status is 401 or 403
            ? new RegistryAuthenticationException(target.Registry, target.Username, detail)
            : new InvalidOperationException($"{target.Registry} refused {doing}: {detail}");
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> create, CancellationToken ct)
    {
        using var request = create();
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request, ct);
    }

    private async Task<AuthenticationHeaderValue> AnswerAsync(AuthenticationHeaderValue? challenge, CancellationToken ct)
    {
        var basic = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{target.Username}:{target.Password}")));
        if (challenge is null || challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return basic;
        }

        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{target.Registry} asks for {challenge.Scheme} authentication, which is not supported.");
        }

        var parameters = ChallengeParameters(challenge.Parameter ?? "");
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new InvalidOperationException($"{target.Registry} asks for a Bearer token without naming where to get one.");
        }

        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
        {
            query.Add($"service={Uri.EscapeDataString(service)}");
        }

        query.Add($"scope={Uri.EscapeDataString($"repository:{RepositoryPath}:pull,push")}");
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri);
        request.Headers.Authorization = basic;
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryAuthenticationException(
                target.Registry, target.Username, AuthFailure.Detail($"token: HTTP {(int)response.StatusCode} {body}", target.Password));
        }

        using var json = JsonDocument.Parse(body);
        var token = json.RootElement.TryGetProperty("token", out var t) ? t.GetString()
            : json.RootElement.TryGetProperty("access_token", out var a) ? a.GetString()
            : null;
        return token is { Length: > 0 }
            ? new AuthenticationHeaderValue("Bearer", token)
            : throw new InvalidOperationException($"{target.Registry}'s token service answered without a token.");
    }

    /// <summary>realm="https://auth.docker.io/token",service="registry.docker.io" as a dictionary.</summary>
    internal static Dictionary<string, string> ChallengeParameters(string text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(
                     text, "(?<name>[A-Za-z]+)=\"(?<value>[^\"]*)\""))
        {
            parameters[m.Groups["name"].Value] = m.Groups["value"].Value;
        }

        return parameters;
    }

    // Docker Hub's API is not at its image-name host; a registry on this machine speaks plain HTTP,
    // as the engine allows for 127.0.0.0/8 and nothing else without configuration.
    private static Uri BaseAddress(RegistryDestination target)
    {
        if (target.IsDockerHub)
        {
            return new Uri("https://registry-1.docker.io/");
        }

        var host = target.Registry.StartsWith('[') ? target.Registry[..(target.Registry.IndexOf(']') + 1)] : target.Registry.Split(':')[0];
        var loopback = host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        return new Uri($"{(loopback ? "http" : "https")}://{target.Registry}/");
    }
}
