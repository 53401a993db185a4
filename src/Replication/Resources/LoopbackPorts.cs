using System.Net;
using System.Net.Sockets;

namespace PostgresReplication;

internal static class LoopbackPorts
{
    /// <summary>Ports the kernel hands out now; released at once for a container or task to publish.</summary>
    public static List<int> Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
