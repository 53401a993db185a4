using Docker.DotNet.Models;

namespace PostgresReplication;

/// <summary>
/// A Patroni cluster on the HA image, on its own user network: etcd members, Patroni members (each
/// with its data volume) and one HAProxy. Every resource carries the run's labels; disposing
/// removes them all (after failures and Ctrl-C too), and the <see cref="Janitor"/> finds them after a crash.
/// The nodes fail on demand (<see cref="HaNode"/>), and the waits in HaCluster.Waits.cs read the
/// cluster's state from Patroni and PostgreSQL, so fault-injection runs reuse it.
/// </summary>
public sealed partial class HaCluster : IAsyncDisposable
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(60);
    private readonly Action<string> _log;

    private HaCluster(DockerEngine engine, HaClusterOptions options, string dataVolumePath, Action<string> log)
    {
        Engine = engine;
        Options = options;
        _log = log;
        Etcd = [.. options.EtcdNames.Select(n => new HaNode(engine, options, HaRole.Etcd, n, dataVolumePath, log))];
        Members = [.. options.MemberNames.Select(n => new HaNode(engine, options, HaRole.Member, n, dataVolumePath, log))];
        Proxy = new HaNode(engine, options, HaRole.Proxy, HaClusterOptions.ProxyName, dataVolumePath, log);
    }

    public DockerEngine Engine { get; }

    public HaClusterOptions Options { get; }

    public IReadOnlyList<HaNode> Etcd { get; }

    public IReadOnlyList<HaNode> Members { get; }

    public HaNode Proxy { get; }

    public HaNode Member(string name) =>
        Members.SingleOrDefault(m => m.Name == name) ?? throw new ArgumentException($"The cluster has no member named {name}.", nameof(name));

    /// <summary>Creates the network; nothing runs yet.</summary>
    public static async Task<HaCluster> CreateAsync(DockerEngine engine, HaClusterOptions options, Action<string>? log, CancellationToken ct)
    {
        var layout = await new ImageInspector(engine).LayoutAsync(options.Image, ct);
        await engine.Client.Networks.CreateNetworkAsync(
            new NetworksCreateParameters { Name = options.NetworkName, Driver = "bridge", Labels = ResourceLabels.ForRun(options.RunId) },
            ct);
        return new HaCluster(engine, options, layout.DataVolumePath, log ?? (_ => { }));
    }

    /// <summary>
    /// Starts everything at once: etcd members, Patroni members (they wait for the store by
    /// themselves) and HAProxy (a member not up yet is only marked down).
    /// </summary>
    public async Task StartAsync(CancellationToken ct) =>
        await Task.WhenAll(Etcd.Concat(Members).Append(Proxy).Select(n => n.CreateAndStartAsync(ct)));

    public Task<string> DumpLogsAsync(int tail, CancellationToken ct) => ContainerLogDump.ForRunAsync(Engine, Options.RunId, tail, ct);

    public async ValueTask DisposeAsync()
    {
        // Runs after failures and Ctrl-C too, so it takes its own deadline rather than a cancelled token.
        using var timeout = new CancellationTokenSource(DisposeTimeout);
        var report = await Janitor.SweepAsync(Engine, Options.RunId, timeout.Token);
        _log($"HA cluster {Options.NetworkName} removed: {report}");
    }
}
