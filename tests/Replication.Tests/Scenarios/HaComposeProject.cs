using System.Globalization;
using BuildRunner;
using Npgsql;
using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>
/// docker/compose/docker-compose.ha.yml run from a temporary copy: generated secret files, free
/// loopback ports for HAProxy's read-write and read-only ports, a unique project name, and an
/// override file that adds this project's labels and publishes each Patroni member on a loopback
/// port too (only so multi-host connection strings can be tried from the host). Disposing runs
/// <c>compose down -v</c> with the Compose <see cref="ComposeCommand"/> chose.
/// </summary>
internal sealed class HaComposeProject : IAsyncDisposable
{
    public static readonly string[] Members = ["pg-1", "pg-2", "pg-3"];
    public static readonly string[] Services = ["etcd-1", "etcd-2", "etcd-3", .. Members, "haproxy"];
    private const string ComposeFile = "docker-compose.ha.yml";
    private const string OverrideFile = "test.override.yml";
    private readonly string _root;
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private readonly ComposeCommand _compose;

    private HaComposeProject(ComposeCommand compose, string root, RunId run, string postgresPassword, int readWritePort, IReadOnlyDictionary<string, int> memberPorts, Dictionary<string, string> environment)
    {
        _compose = compose;
        _root = root;
        _directory = Path.Combine(root, "compose");
        _environment = environment;
        Name = $"pgrepl-ha-compose-{run}";
        PostgresPassword = postgresPassword;
        ReadWritePort = readWritePort;
        MemberPorts = memberPorts;
    }

    public string Name { get; }

    public string PostgresPassword { get; }

    /// <summary>HAProxy's read-write port on 127.0.0.1.</summary>
    public int ReadWritePort { get; }

    /// <summary>Member (service and host name) → the loopback port its 5432 is published on.</summary>
    public IReadOnlyDictionary<string, int> MemberPorts { get; }

    /// <param name="haImage">The HA image (docker/ha/ built on the test image).</param>
    /// <param name="dataVolumePath">The image's data VOLUME, passed as PGDATA_VOLUME.</param>
    /// <param name="synchronousMode">SYNCHRONOUS_MODE for every member.</param>
    public static HaComposeProject Create(ComposeCommand compose, string sourceDirectory, RunId run, string haImage, string dataVolumePath, string synchronousMode)
    {
        var root = Path.Combine(Path.GetTempPath(), $"pgrepl-ha-compose-{run}");
        var directory = Path.Combine(root, "compose");
        Directory.CreateDirectory(Path.Combine(directory, "secrets"));
        File.Copy(Path.Combine(sourceDirectory, ComposeFile), Path.Combine(directory, ComposeFile));
        var postgresPassword = ClusterOptions.NewPassword();
        File.WriteAllText(Path.Combine(directory, "secrets", "postgres-password"), postgresPassword + "\n");
        File.WriteAllText(Path.Combine(directory, "secrets", "replication-password"), ClusterOptions.NewPassword() + "\n");
        File.WriteAllText(Path.Combine(directory, "secrets", "patroni-restapi-password"), ClusterOptions.NewPassword() + "\n");

        var ports = LoopbackPorts.Free(2 + Members.Length);
        var memberPorts = Members.Zip(ports.Skip(2)).ToDictionary(p => p.First, p => p.Second);
        File.WriteAllText(Path.Combine(directory, OverrideFile), Override(run, memberPorts));
        var environment = new Dictionary<string, string>
        {
            ["POSTGRES_REPLICATION_HA_IMAGE"] = haImage,
            ["PGDATA_VOLUME"] = dataVolumePath,
            ["READ_WRITE_PORT"] = Port(ports[0]),
            ["READ_ONLY_PORT"] = Port(ports[1]),
            ["SYNCHRONOUS_MODE"] = synchronousMode,
        };
        return new HaComposeProject(compose, root, run, postgresPassword, ports[0], memberPorts, environment);
    }

    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        HostProcess.RunAsync(
            _compose.Program,
            [.. _compose.Arguments, "-p", Name, "-f", ComposeFile, "-f", OverrideFile, .. arguments],
            ct,
            _environment,
            _directory);

    /// <summary>Through HAProxy's read-write port: whichever member leads.</summary>
    public string ReadWriteConnectionString(int timeoutSeconds) => ConnectionString("127.0.0.1", ReadWritePort.ToString(CultureInfo.InvariantCulture), timeoutSeconds);

    /// <summary>Npgsql's multi-host form over the members' own ports, in the given order.</summary>
    public string MultiHostConnectionString(IEnumerable<string> members) =>
        ConnectionString(string.Join(',', members.Select(m => $"127.0.0.1:{Port(MemberPorts[m])}")), null, 5);

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

    private string ConnectionString(string host, string? port, int timeoutSeconds)
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
        if (port is not null)
        {
            builder.Port = int.Parse(port, CultureInfo.InvariantCulture);
        }

        return builder.ConnectionString;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Override(RunId run, IReadOnlyDictionary<string, int> memberPorts)
    {
        var labels = $$"""
            {"{{ResourceLabels.Project}}": "{{ResourceLabels.ProjectName}}", "{{ResourceLabels.Run}}": "{{run}}"}
            """;
        var services = string.Concat(Services.Select(s =>
            $"  {s}:\n    labels: {labels}\n" +
            (memberPorts.TryGetValue(s, out var port) ? $"    ports: [\"127.0.0.1:{Port(port)}:5432\"]\n" : "")));
        var volumes = string.Concat(Services.Where(s => s != "haproxy").Select(s => $"  {s}-data:\n    labels: {labels}\n"));
        return $"services:\n{services}volumes:\n{volumes}networks:\n  default:\n    labels: {labels}\n";
    }
}
