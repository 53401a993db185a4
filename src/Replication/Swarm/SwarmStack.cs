using System.Globalization;
using Docker.DotNet.Models;
using YamlDotNet.RepresentationModel;

namespace PostgresReplication;

/// <summary>One running task of a service: its container, the hostname Swarm gave it and its data volume.</summary>
public sealed record StackTask(string ContainerId, string Hostname, string Health, string DataVolume);

/// <summary>
/// deploy/swarm/stack.yml deployed as the README says, from a temporary copy: generated secret
/// files, a free port for the primary, and the run's labels added to every service, container,
/// volume, network and secret the stack creates. Disposing removes the stack, waits for its
/// containers to go, and removes its volumes (which <c>docker stack rm</c> leaves).
/// </summary>
public sealed partial class SwarmStack : IAsyncDisposable
{
    private const string StackFile = "stack.yml";
    private readonly DockerEngine _engine;
    private readonly RunId _run;
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private readonly string _dataVolumePath;

    private SwarmStack(DockerEngine engine, RunId run, string directory, Dictionary<string, string> environment, string dataVolumePath)
    {
        _engine = engine;
        _run = run;
        _directory = directory;
        _environment = environment;
        _dataVolumePath = dataVolumePath;
        Name = $"pgrepl-swarm-{run}";
    }

    public string Name { get; }

    /// <summary>The superuser on the primary's port, published on the node (mode: host).</summary>
    public required PgEndpoint Primary { get; init; }

    /// <param name="image">The image as Swarm should run it; an image id, so no node asks a registry for it.</param>
    /// <param name="dataVolumePath">The image's data VOLUME, passed as PGDATA_VOLUME.</param>
    public static SwarmStack Create(DockerEngine engine, string sourceFile, RunId run, string image, string dataVolumePath, int standbys)
    {
        var directory = Directory.CreateTempSubdirectory($"pgrepl-swarm-{run}-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "secrets"));
        var postgresPassword = PostgresReplication.ClusterOptions.NewPassword();
        File.WriteAllText(Path.Combine(directory, "secrets", "postgres-password"), postgresPassword + "\n");
        File.WriteAllText(Path.Combine(directory, "secrets", "replication-password"), PostgresReplication.ClusterOptions.NewPassword() + "\n");
        File.WriteAllText(Path.Combine(directory, StackFile), WithLabels(File.ReadAllText(sourceFile), ResourceLabels.ForRun(run)));

        var port = LoopbackPorts.Free(1)[0];
        var environment = new Dictionary<string, string>
        {
            ["POSTGRES_REPLICATION_IMAGE"] = image,
            ["PGDATA_VOLUME"] = dataVolumePath,
            ["PRIMARY_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["STANDBY_REPLICAS"] = standbys.ToString(CultureInfo.InvariantCulture),
        };
        return new SwarmStack(engine, run, directory, environment, dataVolumePath)
        {
            Primary = new PgEndpoint(port, "postgres", postgresPassword, "postgres"),
        };
    }

    public Task DeployAsync(CancellationToken ct) =>
        DockerCli.RunAsync(["stack", "deploy", "--resolve-image", "never", "-c", StackFile, Name], ct, _environment, _directory);

    public Task ScaleAsync(string service, int replicas, CancellationToken ct) =>
        DockerCli.RunAsync(["service", "scale", "--detach", $"{Name}_{service}={replicas.ToString(CultureInfo.InvariantCulture)}"], ct);

    /// <summary>The running containers of a service of this stack, with the hostname and data volume each task got.</summary>
    public async Task<IReadOnlyList<StackTask>> RunningTasksAsync(string service, CancellationToken ct)
    {
        var containers = await _engine.Client.Containers.ListContainersAsync(
            new ContainersListParameters { Filters = ServiceFilter(service) }, ct);
        var tasks = new List<StackTask>();
        foreach (var container in containers)
        {
            var inspected = await _engine.Client.Containers.InspectContainerAsync(container.ID, ct);
            var data = inspected.Mounts?.FirstOrDefault(m => m.Destination == _dataVolumePath)?.Name ?? "";
            tasks.Add(new StackTask(container.ID, inspected.Config?.Hostname ?? "", inspected.State?.Health?.Status ?? "", data));
        }

        return [.. tasks.OrderBy(t => t.Hostname, StringComparer.Ordinal)];
    }

    /// <summary>The last lines of every container the stack ran, running or not, for a failed scenario's output.</summary>
    public async Task<string> DumpLogsAsync(int lines, CancellationToken ct)
    {
        var containers = await _engine.Client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = StackFilter() }, ct);
        var text = new System.Text.StringBuilder();
        foreach (var container in containers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"--- {container.Names.FirstOrDefault()} ({container.Status})");
            text.AppendLine(await ContainerLogs.ReadAsync(_engine.Client, container.ID, lines, ct));
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        try
        {
            await DockerCli.RunAsync(["stack", "rm", Name], ct);
            // Containers stop (SIGINT, up to their grace period) after the services are gone;
            // volumes and the network can only go once they have.
            await Wait.UntilAsync(
                $"the containers of stack {Name} to be removed",
                async token =>
                {
                    var left = await _engine.Client.Containers.ListContainersAsync(
                        new ContainersListParameters { All = true, Filters = StackFilter() }, token);
                    return left.Count == 0 ? Probe<bool>.Done(true) : Probe<bool>.NotYet($"{left.Count} containers left");
                },
                TimeSpan.FromMinutes(1),
                ct);
        }
        finally
        {
            // Volumes (never removed by stack rm), and a network or secret stack rm could not remove.
            await Janitor.SweepAsync(_engine, _run, ct);
            foreach (var secret in await _engine.Client.Secrets.ListAsync(ct))
            {
                if (secret.Spec.Labels is { } labels && labels.TryGetValue(ResourceLabels.Run, out var run) && run == _run.Value)
                {
                    await Janitor.IgnoreMissingAsync(_engine.Client.Secrets.DeleteAsync(secret.ID, ct));
                }
            }

            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>
    /// The stack file with <paramref name="labels"/> on every service (its tasks' containers too),
    /// named volume, network and secret: a test finds its leftovers by them, users need none.
    /// </summary>
    internal static string WithLabels(string stackYaml, IReadOnlyDictionary<string, string> labels)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(stackYaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        foreach (var (service, definition) in Entries(root, "services"))
        {
            AddLabels(definition, labels);
            AddLabels(Child(definition, "deploy"), labels);
        }

        foreach (var section in new[] { "volumes", "networks", "secrets" })
        {
            foreach (var (_, definition) in Entries(root, section))
            {
                AddLabels(definition, labels);
            }
        }

        var text = new StringWriter();
        stream.Save(text, assignAnchors: false);
        return text.ToString();
    }

    private static IEnumerable<(string Name, YamlMappingNode Definition)> Entries(YamlMappingNode root, string section)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(section), out var node) || node is not YamlMappingNode entries)
        {
            yield break;
        }

        foreach (var key in entries.Children.Keys.ToList())
        {
            // A volume declared without settings ("primary-data:") is an empty scalar.
            if (entries.Children[key] is not YamlMappingNode definition)
            {
                entries.Children[key] = definition = new YamlMappingNode();
            }

            yield return (((YamlScalarNode)key).Value!, definition);
        }
    }

    private static YamlMappingNode Child(YamlMappingNode parent, string name)
    {
        if (!parent.Children.TryGetValue(new YamlScalarNode(name), out var node) || node is not YamlMappingNode child)
        {
            parent.Children[new YamlScalarNode(name)] = child = new YamlMappingNode();
        }

        return child;
    }

    private static void AddLabels(YamlMappingNode definition, IReadOnlyDictionary<string, string> labels)
    {
        var node = Child(definition, "labels");
        foreach (var (name, value) in labels)
        {
            node.Children[new YamlScalarNode(name)] = new YamlScalarNode(value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
        }
    }

    private Dictionary<string, IDictionary<string, bool>> StackFilter() => new()
    {
        ["label"] = new Dictionary<string, bool> { [$"com.docker.stack.namespace={Name}"] = true },
    };

    private Dictionary<string, IDictionary<string, bool>> ServiceFilter(string service) => new()
    {
        ["label"] = new Dictionary<string, bool> { [$"com.docker.swarm.service.name={Name}_{service}"] = true },
        ["status"] = new Dictionary<string, bool> { ["running"] = true },
    };
}
