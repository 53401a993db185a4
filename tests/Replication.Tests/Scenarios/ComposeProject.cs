using System.Globalization;
using BuildRunner;
using Npgsql;
using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>
/// A compose file of docker/compose/ run from a temporary copy: generated secret files, free
/// loopback ports, a unique project name, and an override file that adds this project's labels (so
/// the janitor finds leftovers) and publishes what the file itself does not. Disposing runs
/// <c>compose down -v</c>, with the Compose that <see cref="ComposeCommand"/> chose.
/// </summary>
internal sealed class ComposeProject : IAsyncDisposable
{
    /// <summary>docker-compose.yml's services, each published by the file on a port this project chooses.</summary>
    public static readonly string[] Services = ["primary", "standby-1", "standby-2"];

    /// <summary>docker-compose.ha.yml's Patroni members.</summary>
    public static readonly string[] HaMembers = ["pg-1", "pg-2", "pg-3"];

    /// <summary>HAProxy's ports in docker-compose.ha.yml, as keys of <see cref="Ports"/>.</summary>
    public const string ReadWrite = "read-write";
    public const string ReadOnly = "read-only";

    private static readonly string[] HaServices = ["etcd-1", "etcd-2", "etcd-3", .. HaMembers, "haproxy"];
    private const string OverrideFile = "test.override.yml";
    private readonly string _root;
    private readonly string _directory;
    private readonly string _file;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ComposeCommand _compose;

    private ComposeProject(ComposeCommand compose, string root, string file, string name, string postgresPassword, IReadOnlyDictionary<string, int> ports, IReadOnlyDictionary<string, string> environment)
    {
        _compose = compose;
        _root = root;
        _directory = Path.Combine(root, "compose");
        _file = file;
        _environment = environment;
        Name = name;
        PostgresPassword = postgresPassword;
        Ports = ports;
    }

    public string Name { get; }

    public string PostgresPassword { get; }

    /// <summary>A service (or HAProxy's <see cref="ReadWrite"/> / <see cref="ReadOnly"/>) → the loopback port its 5432 is published on.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>docker-compose.yml: a primary and two standbys, each published by the file.</summary>
    /// <param name="dataVolumePath">The image's data VOLUME, passed as PGDATA_VOLUME.</param>
    public static ComposeProject Replication(ComposeCommand compose, string sourceDirectory, RunId run, string image, string dataVolumePath)
    {
        var ports = Services.Zip(LoopbackPorts.Free(Services.Length)).ToDictionary(p => p.First, p => p.Second);
        var environment = new Dictionary<string, string>
        {
            ["POSTGRES_REPLICATION_IMAGE"] = image,
            ["PGDATA_VOLUME"] = dataVolumePath,
            ["PRIMARY_PORT"] = Port(ports["primary"]),
            ["STANDBY_1_PORT"] = Port(ports["standby-1"]),
            ["STANDBY_2_PORT"] = Port(ports["standby-2"]),
        };
        return Create(compose, sourceDirectory, "docker-compose.yml", $"pgrepl-compose-{run}", run,
            secrets: ["postgres-password", "replication-password"], services: Services, volumes: Services,
            publishedByOverride: new Dictionary<string, int>(), ports, environment);
    }

    /// <summary>
    /// docker-compose.ha.yml: etcd, three Patroni members and HAProxy, whose read-write and read-only
    /// ports the file publishes; each member is published here too, only so that multi-host
    /// connection strings can be tried from the host.
    /// </summary>
    /// <param name="haImage">The HA image (docker/ha/ built on the test image).</param>
    /// <param name="dataVolumePath">The image's data VOLUME, passed as PGDATA_VOLUME.</param>
    /// <param name="synchronousMode">SYNCHRONOUS_MODE for every member.</param>
    public static ComposeProject HighAvailability(ComposeCommand compose, string sourceDirectory, RunId run, string haImage, string dataVolumePath, string synchronousMode)
    {
        var free = LoopbackPorts.Free(2 + HaMembers.Length);
        var members = HaMembers.Zip(free.Skip(2)).ToDictionary(p => p.First, p => p.Second);
        var ports = new Dictionary<string, int>(members) { [ReadWrite] = free[0], [ReadOnly] = free[1] };
        var environment = new Dictionary<string, string>
        {
            ["POSTGRES_REPLICATION_HA_IMAGE"] = haImage,
            ["PGDATA_VOLUME"] = dataVolumePath,
            ["READ_WRITE_PORT"] = Port(ports[ReadWrite]),
            ["READ_ONLY_PORT"] = Port(ports[ReadOnly]),
            ["SYNCHRONOUS_MODE"] = synchronousMode,
        };
        return Create(compose, sourceDirectory, "docker-compose.ha.yml", $"pgrepl-ha-compose-{run}", run,
            secrets: ["postgres-password", "replication-password", "patroni-restapi-password"],
            services: HaServices, volumes: [.. HaServices.Where(s => s != "haproxy")],
            publishedByOverride: members, ports, environment);
    }

    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        HostProcess.RunAsync(
            _compose.Program,
            [.. _compose.Arguments, "-p", Name, "-f", _file, "-f", OverrideFile, .. arguments],
            ct,
            _environment,
            _directory);

    /// <summary>To one published port: a service, or HAProxy's <see cref="ReadWrite"/> (whichever member leads).</summary>
    public string ConnectionString(string endpoint, int timeoutSeconds = 5) =>
        ConnectionString("127.0.0.1", Ports[endpoint], timeoutSeconds);

    /// <summary>Npgsql's multi-host form over the given endpoints' ports, in that order.</summary>
    public string MultiHostConnectionString(IEnumerable<string> endpoints) =>
        ConnectionString(string.Join(',', endpoints.Select(e => $"127.0.0.1:{Port(Ports[e])}")), null, 5);

    public async ValueTask DisposeAsync()
    {
        // Whatever down leaves (it failed, it timed out) carries the run's labels: the fixture's sweep removes it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await RunAsync(["down", "-v", "--remove-orphans", "--timeout", "10"], timeout.Token);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static ComposeProject Create(
        ComposeCommand compose,
        string sourceDirectory,
        string file,
        string name,
        RunId run,
        IReadOnlyList<string> secrets,
        IReadOnlyList<string> services,
        IReadOnlyList<string> volumes,
        IReadOnlyDictionary<string, int> publishedByOverride,
        IReadOnlyDictionary<string, int> ports,
        IReadOnlyDictionary<string, string> environment)
    {
        var root = Path.Combine(Path.GetTempPath(), name);
        var directory = Path.Combine(root, "compose");
        Directory.CreateDirectory(Path.Combine(directory, "secrets"));
        File.Copy(Path.Combine(sourceDirectory, file), Path.Combine(directory, file));
        var passwords = secrets.ToDictionary(s => s, _ => ClusterOptions.NewPassword());
        foreach (var (secret, password) in passwords)
        {
            File.WriteAllText(Path.Combine(directory, "secrets", secret), password + "\n");
        }

        File.WriteAllText(Path.Combine(directory, OverrideFile), Override(run, services, volumes, publishedByOverride));
        return new ComposeProject(compose, root, file, name, passwords["postgres-password"], ports, environment);
    }

    private string ConnectionString(string host, int? port, int timeoutSeconds)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Username = "postgres",
            Password = PostgresPassword,
            Database = "postgres",
            Pooling = false,
            Timeout = timeoutSeconds,
            CommandTimeout = 10,
        };
        if (port is { } value)
        {
            builder.Port = value;
        }

        return builder.ConnectionString;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Override(RunId run, IReadOnlyList<string> services, IReadOnlyList<string> volumes, IReadOnlyDictionary<string, int> published)
    {
        var labels = $$"""
            {"{{ResourceLabels.Project}}": "{{ResourceLabels.ProjectName}}", "{{ResourceLabels.Run}}": "{{run}}"}
            """;
        var serviceLines = string.Concat(services.Select(s =>
            $"  {s}:\n    labels: {labels}\n" +
            (published.TryGetValue(s, out var port) ? $"    ports: [\"127.0.0.1:{Port(port)}:5432\"]\n" : "")));
        var volumeLines = string.Concat(volumes.Select(s => $"  {s}-data:\n    labels: {labels}\n"));
        return $"services:\n{serviceLines}volumes:\n{volumeLines}networks:\n  default:\n    labels: {labels}\n";
    }
}
