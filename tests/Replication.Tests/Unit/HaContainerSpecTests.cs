using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class HaContainerSpecTests
{
    private static readonly HaClusterOptions Options = new()
    {
        Image = "postgres-replication:18-ha",
        RunId = new RunId("1a2b3c4d"),
        RestApiPassword = "rest-secret",
    };

    [Fact]
    public void Every_member_knows_every_etcd_member_and_the_rest_api_credentials()
    {
        var env = HaContainerSpec.Environment(Options, HaRole.Member, "member-2");

        Assert.Equal("member-2", env["PATRONI_NAME"]);
        Assert.Equal("etcd-1:2379,etcd-2:2379,etcd-3:2379", env["PATRONI_ETCD3_HOSTS"]);
        Assert.Equal("rest-secret", env["PATRONI_RESTAPI_PASSWORD"]);
        Assert.Equal("off", env["SYNCHRONOUS_MODE"]);
    }

    [Fact]
    public void Etcd_members_form_one_cluster_and_haproxy_checks_every_member()
    {
        var etcd = HaContainerSpec.Environment(Options, HaRole.Etcd, "etcd-3");
        var proxy = HaContainerSpec.Environment(Options, HaRole.Proxy, HaClusterOptions.ProxyName);

        Assert.Equal("etcd-3", etcd["ETCD_NAME"]);
        Assert.Equal("etcd-1=http://etcd-1:2380,etcd-2=http://etcd-2:2380,etcd-3=http://etcd-3:2380", etcd["ETCD_INITIAL_CLUSTER"]);
        Assert.Equal("member-1,member-2,member-3", proxy["HA_MEMBERS"]);
    }

    [Theory]
    [InlineData(HaRole.Member, "patroni")]
    [InlineData(HaRole.Etcd, "etcd")]
    [InlineData(HaRole.Proxy, "haproxy")]
    public void Each_container_is_labelled_and_leaves_no_unlabelled_volume(HaRole role, string command)
    {
        var name = role == HaRole.Proxy ? HaClusterOptions.ProxyName : "x-1";
        var create = HaContainerSpec.Create(Options, role, name, "/var/lib/postgresql");

        Assert.Equal([command], create.Cmd);
        Assert.Equal("1a2b3c4d", create.Labels[ResourceLabels.Run]);
        // The image declares VOLUMEs for PostgreSQL and etcd: each gets a labelled named volume or a tmpfs.
        var mounts = create.HostConfig!.Mounts!;
        Assert.Contains(mounts, m => m.Target == "/var/lib/postgresql");
        Assert.Contains(mounts, m => m.Target == "/var/lib/etcd");
        Assert.All(mounts.Where(m => m.Type == "volume"), m => Assert.Equal("1a2b3c4d", m.VolumeOptions!.Labels![ResourceLabels.Run]));
        Assert.All(create.HostConfig!.PortBindings!.Values.SelectMany(b => b), b => Assert.Equal("127.0.0.1", b.HostIP));
    }
}
