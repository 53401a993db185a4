using System.Net.Sockets;

namespace PostgresReplication;

/// <summary>
/// GET /_ping without a version prefix: the one call every engine answers whatever version the
/// client speaks, and whose API-Version header says what the engine serves.
/// </summary>
internal static class EnginePing
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<string?> ApiVersionHeaderAsync(Uri endpoint, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler();
        var target = endpoint.Scheme == "unix"
            ? ThroughUnixSocket(handler, endpoint.AbsolutePath)
            : new UriBuilder(Uri.UriSchemeHttp, endpoint.Host, endpoint.Port, "/_ping").Uri;
        using var http = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(target, ct);
            response.EnsureSuccessStatusCode();
            return response.Headers.TryGetValues("API-Version", out var values) ? values.FirstOrDefault() : null;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException
                                  && !ct.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"No Docker engine answers at {endpoint} ({e.Message}). Start dockerd, or set DOCKER_HOST.", e);
        }
    }

    private static Uri ThroughUnixSocket(SocketsHttpHandler handler, string socketPath)
    {
        handler.ConnectCallback = async (_, token) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        // The host name is never resolved: every connection goes through the callback above.
        return new Uri("http://docker/_ping");
    }
}
