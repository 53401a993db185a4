using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// The token handshake of Docker Hub and most hosted registries, against a fake that answers as
/// they do (no such registry is reachable from here). Basic auth is shown by the real local registry.
/// </summary>
public sealed class RegistryApiTests
{
    private const string Password = "hub-token-5d1e";

    [Fact]
    public async Task A_bearer_challenge_is_answered_with_a_token_from_the_named_realm()
    {
        // Given a registry that asks for a Bearer token, and a token service that wants the credentials
        var hub = new FakeHub();
        using var api = new RegistryApi(DockerHub("someone/postgres-replication"), hub);

        // When an index is put under a tag
        var document = Encoding.UTF8.GetBytes("{}");
        var digest = await api.PutManifestAsync("18", ManifestList.DockerListMediaType, document, CancellationToken.None);

        // Then the token was asked for the repository's push scope with Basic credentials, and used
        Assert.StartsWith("sha256:", digest, StringComparison.Ordinal);
        var tokenRequest = Assert.Single(hub.Requests, r => r.Uri.Host == "auth.example.test");
        Assert.Contains("scope=repository%3Asomeone%2Fpostgres-replication%3Apull%2Cpush", tokenRequest.Uri.Query, StringComparison.Ordinal);
        Assert.Contains("service=registry.docker.io", tokenRequest.Uri.Query, StringComparison.Ordinal);
        Assert.Equal("Basic", tokenRequest.Authorization?.Scheme);
        var put = hub.Requests.Last();
        Assert.Equal("https://registry-1.docker.io/v2/someone/postgres-replication/manifests/18", put.Uri.ToString());
        Assert.Equal("Bearer granted", put.Authorization?.ToString());
        Assert.DoesNotContain(hub.Requests, r => r.Uri.ToString().Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_token_is_a_clear_authentication_failure_without_the_password()
    {
        var hub = new FakeHub { RefuseToken = true };
        using var api = new RegistryApi(DockerHub("someone/postgres-replication"), hub);

        var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(
            () => api.PutManifestAsync("18", ManifestList.DockerListMediaType, [1], CancellationToken.None));

        Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    private static RegistryDestination DockerHub(string repository) =>
        new() { Repository = repository, Username = "someone", Password = Password };

    private sealed record SeenRequest(Uri Uri, AuthenticationHeaderValue? Authorization);

    /// <summary>Docker Hub's handshake: 401 with a Bearer challenge, a token service, then the call.</summary>
    private sealed class FakeHub : HttpMessageHandler
    {
        public List<SeenRequest> Requests { get; } = [];

        public bool RefuseToken { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new SeenRequest(request.RequestUri!, request.Headers.Authorization));
            if (request.RequestUri!.Host == "auth.example.test")
            {
                return RefuseToken
                    ? new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("""{"details":"incorrect username or password"}""") }
                    : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"token":"granted"}""") };
            }

            if (request.Headers.Authorization?.ToString() != "Bearer granted")
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd(
                    "Bearer realm=\"https://auth.example.test/token\",service=\"registry.docker.io\",scope=\"repository:someone/postgres-replication:pull,push\"");
                return challenge;
            }

            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var created = new HttpResponseMessage(HttpStatusCode.Created);
            created.Headers.Add("Docker-Content-Digest", $"sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))}");
            return created;
        }
    }
}
