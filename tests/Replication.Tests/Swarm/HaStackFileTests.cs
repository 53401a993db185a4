using BuildRunner;
using PostgresReplication;
using YamlDotNet.RepresentationModel;
using static Replication.Tests.Swarm.StackYaml;

namespace Replication.Tests.Swarm;

/// <summary>
/// deploy/swarm/stack-ha.yml as written: a stack that works without IPVS, members pinned to the
/// node that holds their volume, secrets from files, and the same endpoints as the HA compose file.
/// </summary>
public sealed class HaStackFileTests
{
    private static readonly string StackPath = RepositoryRoot.Combine("deploy", "swarm", "stack-ha.yml");
    private static readonly string[] Pinned = ["etcd-1", "etcd-2", "etcd-3", "pg-1", "pg-2", "pg-3"];

    [Fact]
    public void Services_need_neither_virtual_IPs_nor_the_routing_mesh()
    {
        foreach (var (name, service) in Map(Root, "services").Children)
        {
            Assert.True(Scalar(Map((YamlMappingNode)service, "deploy"), "endpoint_mode") == "dnsrr", $"{name} has no endpoint_mode: dnsrr");
        }

        var ports = Sequence(Service("haproxy"), "ports").Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal(["5432", "5433"], ports.Select(p => Scalar(p, "target")));
        Assert.All(ports, p => Assert.Equal("host", Scalar(p, "mode")));
        Assert.Equal("true", Scalar(Map(Map(Root, "networks"), "db"), "attachable"));
    }

    [Fact]
    public void Each_etcd_and_Patroni_member_runs_once_on_its_own_node_with_its_own_volume()
    {
        var volumes = new HashSet<string>();
        foreach (var name in Pinned)
        {
            var service = Service(name);
            var deploy = Map(service, "deploy");
            Assert.Equal("1", Scalar(deploy, "replicas"));
            Assert.Equal("stop-first", Scalar(Map(deploy, "update_config"), "order"));
            var member = name[^1];
            Assert.Equal(
                $"node.labels.postgres-replication.ha-{member} == true",
                Sequence(Map(deploy, "placement"), "constraints").Children.Single().ToString());
            Assert.Equal(name, Scalar(service, "hostname"));
            var volume = Sequence(service, "volumes").Children.Single().ToString().Split(':')[0];
            Assert.True(volumes.Add(volume), $"{name} shares the volume {volume}");
            Assert.True(Map(Root, "volumes").Children.ContainsKey(new YamlScalarNode(volume)), $"{volume} is not declared");
        }
    }

    [Fact]
    public void Members_find_etcd_and_HAProxy_finds_the_members_by_service_name()
    {
        var etcd = Pinned.Where(n => n.StartsWith("etcd-", StringComparison.Ordinal)).ToList();
        var members = Pinned.Where(n => n.StartsWith("pg-", StringComparison.Ordinal)).ToList();
        foreach (var name in etcd)
        {
            var environment = Map(Service(name), "environment");
            Assert.Equal(name, Scalar(environment, "ETCD_NAME"));
            Assert.Equal(string.Join(',', etcd.Select(e => $"{e}=http://{e}:2380")), Scalar(environment, "ETCD_INITIAL_CLUSTER"));
        }

        foreach (var name in members)
        {
            Assert.Equal(string.Join(',', etcd.Select(e => $"{e}:2379")), Scalar(Map(Service(name), "environment"), "PATRONI_ETCD3_HOSTS"));
        }

        Assert.Equal(string.Join(',', members), Scalar(Map(Service("haproxy"), "environment"), "HA_MEMBERS"));
    }

    [Fact]
    public void Passwords_come_from_docker_secrets_readable_by_postgres_only()
    {
        foreach (var name in Pinned.Where(n => n.StartsWith("pg-", StringComparison.Ordinal)))
        {
            var environment = Map(Service(name), "environment");
            Assert.Equal("/run/secrets/postgres-password", Scalar(environment, "POSTGRES_PASSWORD_FILE"));
            Assert.Equal("/run/secrets/replication-password", Scalar(environment, "REPLICATION_PASSWORD_FILE"));
            Assert.Equal("/run/secrets/patroni-restapi-password", Scalar(environment, "PATRONI_RESTAPI_PASSWORD_FILE"));
            Assert.False(environment.Children.ContainsKey(new YamlScalarNode("POSTGRES_PASSWORD")));
            var secrets = Sequence(Service(name), "secrets").Children.Cast<YamlMappingNode>().ToList();
            Assert.Equal(3, secrets.Count);
            Assert.All(secrets, s => Assert.Equal(("999", "0400"), (Scalar(s, "uid"), Scalar(s, "mode"))));
        }

        foreach (var (_, secret) in Map(Root, "secrets").Children)
        {
            Assert.StartsWith("./secrets/", Scalar((YamlMappingNode)secret, "file"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_test_copy_labels_everything_the_stack_creates()
    {
        var run = new RunId("abcd1234");
        var labelled = Load(SwarmStack.WithLabels(File.ReadAllText(StackPath), ResourceLabels.ForRun(run)));
        var definitions = new[] { "services", "volumes", "networks", "secrets" }
            .SelectMany(section => Map(labelled, section).Children.Values.Cast<YamlMappingNode>())
            .Concat(Map(labelled, "services").Children.Values.Cast<YamlMappingNode>().Select(s => Map(s, "deploy")));
        Assert.All(definitions, definition => Assert.Equal(run.Value, Scalar(Map(definition, "labels"), ResourceLabels.Run)));
    }

    private static YamlMappingNode Root => Load(File.ReadAllText(StackPath));

    private static YamlMappingNode Service(string name) => Map(Map(Root, "services"), name);
}
