using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class ResourceLabelsTests
{
    [Fact]
    public void A_run_id_is_eight_lower_case_hex_characters_and_differs_per_run()
    {
        var first = RunId.New();
        var second = RunId.New();

        Assert.Matches("^[0-9a-f]{8}$", first.Value);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_node_carries_project_run_and_node_labels()
    {
        var labels = ResourceLabels.ForNode(new RunId("1a2b3c4d"), "standby-1");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["io.postgres-replication.project"] = "postgres-replication",
                ["io.postgres-replication.run"] = "1a2b3c4d",
                ["io.postgres-replication.node"] = "standby-1",
            },
            labels);
    }

    [Fact]
    public void A_network_carries_project_and_run_labels_only()
    {
        var labels = ResourceLabels.ForRun(new RunId("1a2b3c4d"));

        Assert.Equal(["io.postgres-replication.project", "io.postgres-replication.run"], labels.Keys.Order());
    }

    [Fact]
    public void The_filter_for_one_run_requires_both_labels()
    {
        var filter = ResourceLabels.Filter(new RunId("1a2b3c4d"));

        Assert.Equal(
            ["io.postgres-replication.project=postgres-replication", "io.postgres-replication.run=1a2b3c4d"],
            filter["label"].Keys.Order());
    }

    [Fact]
    public void The_filter_for_the_whole_project_has_only_the_project_label()
    {
        var filter = ResourceLabels.Filter(run: null);

        Assert.Equal(["io.postgres-replication.project=postgres-replication"], filter["label"].Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABC")]
    [InlineData("a-b")]
    public void A_run_id_that_cannot_be_part_of_a_name_is_refused(string value)
    {
        Assert.Throws<ArgumentException>(() => new RunId(value));
    }
}
