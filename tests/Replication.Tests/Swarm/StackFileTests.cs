using System.Globalization;
using BuildRunner;
using PostgresReplication;
using Replication.Tests.Scenarios;
using YamlDotNet.RepresentationModel;
using static Replication.Tests.Swarm.StackYaml;

namespace Replication.Tests.Swarm;

/// <summary>
/// deploy/swarm/stack.yml as written: the settings that keep a standby alive through its clone and
/// its slot its own, and that make the stack work without IPVS. <see cref="SwarmStackTests"/> shows
/// them at work on a swarm.
/// </summary>
public sealed class StackFileTests
{
    private static readonly string StackPath = RepositoryRoot.Combine("deploy", "swarm", "stack.yml");

    [Fact]
    public void Each_standby_task_slot_keeps_its_name_slot_and_volume()
    {
        var standby = Service("standby");
        // standby-1 streams under the slot standby_1, whichever task runs slot 1 now
        Assert.Equal("standby-{{.Task.Slot}}", Scalar(standby, "hostname"));
        Assert.False(Map(standby, "environment").Children.ContainsKey(new YamlScalarNode("REPLICATION_SLOT")));
        Assert.Equal("{{.Service.Name}}-{{.Task.Slot}}", Scalar(Map(Map(Root, "volumes"), "standby-data"), "name"));
    }

    [Fact]
    public void Swarm_never_replaces_a_standby_for_failed_healthchecks_before_it_first_streams()
    {
        var check = Map(Service("standby"), "healthcheck");
        // Checks that fail in the start period do not count until one succeeds: a clone gets a day.
        Assert.True(Duration(Scalar(check, "start_period")) >= TimeSpan.FromHours(24));
        Assert.Equal("replication-healthcheck.sh", ((YamlSequenceNode)check.Children[new YamlScalarNode("test")]).Children[1].ToString());
        // A streaming standby whose primary restarts is replaced only after minutes without streaming.
        var patience = Duration(Scalar(check, "interval")) * int.Parse(Scalar(check, "retries"), CultureInfo.InvariantCulture);
        Assert.True(patience >= TimeSpan.FromMinutes(5), $"a standby is replaced after {patience} without streaming");
    }

    [Fact]
    public void Services_need_neither_virtual_IPs_nor_the_routing_mesh()
    {
        foreach (var name in new[] { "primary", "standby" })
        {
            Assert.Equal("dnsrr", Scalar(Map(Service(name), "deploy"), "endpoint_mode"));
        }

        var port = (YamlMappingNode)((YamlSequenceNode)Service("primary").Children[new YamlScalarNode("ports")]).Children.Single();
        Assert.Equal("host", Scalar(port, "mode"));
        Assert.Equal("true", Scalar(Map(Map(Root, "networks"), "db"), "attachable"));
    }

    [Fact]
    public void The_primary_runs_once_and_only_on_the_node_that_holds_its_volume()
    {
        var deploy = Map(Service("primary"), "deploy");
        Assert.Equal("1", Scalar(deploy, "replicas"));
        Assert.Equal(
            "node.labels.postgres-replication.primary == true",
            ((YamlSequenceNode)Map(deploy, "placement").Children[new YamlScalarNode("constraints")]).Children.Single().ToString());
        Assert.Equal("stop-first", Scalar(Map(deploy, "update_config"), "order"));
    }

    [Fact]
    public void Passwords_come_from_docker_secrets()
    {
        Assert.Equal("/run/secrets/postgres-password", Scalar(Map(Service("primary"), "environment"), "POSTGRES_PASSWORD_FILE"));
        foreach (var name in new[] { "primary", "standby" })
        {
            Assert.Equal("/run/secrets/replication-password", Scalar(Map(Service(name), "environment"), "REPLICATION_PASSWORD_FILE"));
        }

        Assert.Equal("./secrets/replication-password", Scalar(Map(Map(Root, "secrets"), "replication-password"), "file"));
    }

    [Fact]
    public void The_test_copy_labels_everything_the_stack_creates_and_changes_nothing_else()
    {
        // Given the stack file with a run's labels added
        var run = new RunId("abcd1234");
        var labelled = Load(SwarmStack.WithLabels(File.ReadAllText(StackPath), ResourceLabels.ForRun(run)));

        // Then every service, its containers, volume, network and secret carry them
        var definitions = new[] { "services", "volumes", "networks", "secrets" }
            .SelectMany(section => Map(labelled, section).Children.Values.Cast<YamlMappingNode>())
            .Concat(Map(labelled, "services").Children.Values.Cast<YamlMappingNode>().Select(s => Map(s, "deploy")));
        Assert.All(definitions, definition => Assert.Equal(run.Value, Scalar(Map(definition, "labels"), ResourceLabels.Run)));

        // And the templates Swarm fills in per task are left as they were
        Assert.Equal("standby-{{.Task.Slot}}", Scalar(Map(Map(labelled, "services"), "standby"), "hostname"));
        Assert.Equal("{{.Service.Name}}-{{.Task.Slot}}", Scalar(Map(Map(labelled, "volumes"), "standby-data"), "name"));
    }

    private static YamlMappingNode Root => Load(File.ReadAllText(StackPath));

    private static YamlMappingNode Service(string name) => Map(Map(Root, "services"), name);
}
