using BuildRunner;
using YamlDotNet.RepresentationModel;

namespace Replication.Tests.Scenarios;

/// <summary>
/// The opt-in repository files beside the Compose file and the Swarm stack, merged by Compose
/// itself (<c>config</c>, no container started): every server they name gets the repository
/// volume and pgBackRest's variables, and the default files alone stay without backups.
/// </summary>
public sealed class BackupRepositoryFileTests
{
    private const string RepositoryPath = "/var/lib/pgbackrest";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_compose_override_gives_every_server_the_repository_and_the_quick_start_none()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var directory = RepositoryRoot.Combine("docker", "compose");

        // When Compose merges the quick start with the override, and the quick start alone
        var withBackups = await ConfigAsync(directory, ["docker-compose.yml", "docker-compose.backup.yml"], deadline.Token);
        var quickStart = await ConfigAsync(directory, ["docker-compose.yml"], deadline.Token);

        // Then all three servers share one repository volume; without the override, none has one
        Assert.Equal(["primary", "standby-1", "standby-2"], Services(withBackups).Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(Services(withBackups), s => AssertRepository(s.Definition, "backup-repository"));
        Assert.All(Services(quickStart), s => Assert.DoesNotContain(RepositoryPath, s.Definition.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_swarm_override_gives_the_primary_the_repository_on_its_node()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var directory = RepositoryRoot.Combine("deploy", "swarm");

        // When Compose merges the stack with its override
        var merged = await ConfigAsync(directory, ["stack.yml", "stack.backup.yml"], deadline.Token);

        // Then the primary archives into the repository; the standbys, on other nodes, cannot share a local volume
        var services = Services(merged).ToDictionary(s => s.Name, s => s.Definition);
        AssertRepository(services["primary"], "backup-repository");
        Assert.DoesNotContain(RepositoryPath, services["standby"].ToString(), StringComparison.Ordinal);
    }

    private static void AssertRepository(YamlMappingNode service, string volume)
    {
        var environment = (YamlMappingNode)service.Children[new YamlScalarNode("environment")];
        Assert.Equal(RepositoryPath, environment.Children[new YamlScalarNode("PGBACKREST_REPO1_PATH")].ToString());
        Assert.Equal("2", environment.Children[new YamlScalarNode("PGBACKREST_REPO1_RETENTION_FULL")].ToString());
        var volumes = ((YamlSequenceNode)service.Children[new YamlScalarNode("volumes")]).Children;
        // v1 prints "volume:/path:rw", v2 a mapping with source and target.
        Assert.Contains(volumes, v => v is YamlScalarNode s
            ? s.Value!.StartsWith($"{volume}:{RepositoryPath}", StringComparison.Ordinal)
            : v.ToString().Contains($"{volume}", StringComparison.Ordinal) && v.ToString().Contains(RepositoryPath, StringComparison.Ordinal));
    }

    private static IEnumerable<(string Name, YamlMappingNode Definition)> Services(YamlMappingNode root) =>
        ((YamlMappingNode)root.Children[new YamlScalarNode("services")]).Children
        .Select(pair => (pair.Key.ToString(), (YamlMappingNode)pair.Value));

    private static async Task<YamlMappingNode> ConfigAsync(string directory, IReadOnlyList<string> files, CancellationToken ct)
    {
        var compose = await ComposeCommand.DetectAsync(ct);
        var result = await HostProcess.RunAsync(
            compose.Program, [.. compose.Arguments, .. files.SelectMany(f => new[] { "-f", Path.Combine(directory, f) }), "config"], ct);
        Assert.True(result.Succeeded, $"{compose} config failed: {result}");
        var stream = new YamlStream();
        stream.Load(new StringReader(result.Stdout));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
