using System.Globalization;
using BuildRunner;
using Npgsql;
using PostgresReplication;

namespace Replication.Tests.Scenarios;

/// <summary>
/// docker/compose/docker-compose.yml run from a temporary copy: generated secret files, free
/// loopback ports, a unique project name, and an override file that only adds this project's
/// labels (so the janitor finds leftovers). Disposing runs <c>compose down -v</c>, with the
/// Compose that <see cref="ComposeCommand"/> chose.
/// </summary>
internal sealed class ComposeProject : IAsyncDisposable
{
    public static readonly string[] Services = ["primary", "standby-1", "standby-2"];
    private const string ComposeFile = "docker-compose.yml";
    private const string LabelsFile = "labels.override.yml";
    private readonly string _root;
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;

    private readonly ComposeCommand _compose;

    private ComposeProject(ComposeCommand compose, string root, RunId run, string postgresPassword, IReadOnlyDictionary<string, int> ports, Dictionary<string, string> environment)
    {
        _compose = compose;
        _root = root;
        _directory = Path.Combine(root, "compose");
        _environment = environment;
        Name = $"pgrepl-compose-{run}";
        PostgresPassword = postgresPassword;
        Ports = ports;
    }

    public string Name { get; }

    public string PostgresPassword { get; }

    /// <summary>Service name → the loopback port its 5432 is published on.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    /// <param name="dataVolumePath">The image's data VOLUME, passed as PGDATA_VOLUME.</param>
    public static ComposeProject Create(ComposeCommand compose, string sourceDirectory, RunId run, string image, string dataVolumePath)
    {
        var root = Path.Combine(Path.GetTempPath(), $"pgrepl-compose-{run}");
        var directory = Path.Combine(root, "compose");
        Directory.CreateDirectory(Path.Combine(directory, "secrets"));
        File.Copy(Path.Combine(sourceDirectory, ComposeFile), Path.Combine(directory, ComposeFile));
        var postgresPassword = ClusterOptions.NewPassword();
        File.WriteAllText(Path.Combine(directory, "secrets", "postgres-password"), postgresPassword + "\n");
        File.WriteAllText(Path.Combine(directory, "secrets", "replication-password"), ClusterOptions.NewPassword() + "\n");
        File.WriteAllText(Path.Combine(directory, LabelsFile), LabelsOverride(run));

        var ports = LoopbackPorts.Free(Services.Length);
        var byService = Services.Zip(ports).ToDictionary(p => p.First, p => p.Second);
        var environment = new Dictionary<string, string>
        {
            ["POSTGRES_REPLICATION_IMAGE"] = image,
            ["PGDATA_VOLUME"] = dataVolumePath,
            ["PRIMARY_PORT"] = Port(byService["primary"]),
            ["STANDBY_1_PORT"] = Port(byService["standby-1"]),
            ["STANDBY_2_PORT"] = Port(byService["standby-2"]),
        };
        return new ComposeProject(compose, root, run, postgresPassword, byService, environment);
    }

    public Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        HostProcess.RunAsync(
            _compose.Program,
            [.. _compose.Arguments, "-p", Name, "-f", ComposeFile, "-f", LabelsFile, .. arguments],
            ct,
            _environment,
            _directory);

    public string ConnectionString(string service) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Ports[service],
        Username = "postgres",
        Password = PostgresPassword,
        Database = "postgres",
        Pooling = false,
        Timeout = 5,
    }.ConnectionString;

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

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string LabelsOverride(RunId run)
    {
        var labels = $$"""
            {"{{ResourceLabels.Project}}": "{{ResourceLabels.ProjectName}}", "{{ResourceLabels.Run}}": "{{run}}"}
            """;
        var services = string.Concat(Services.Select(s => $"  {s}:\n    labels: {labels}\n"));
        var volumes = string.Concat(Services.Select(s => $"  {s}-data:\n    labels: {labels}\n"));
        return $"services:\n{services}volumes:\n{volumes}networks:\n  default:\n    labels: {labels}\n";
    }
}
