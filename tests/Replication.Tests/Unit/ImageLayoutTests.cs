using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class ImageLayoutTests
{
    [Fact]
    public void From_18_the_volume_above_PGDATA_holds_the_data()
    {
        var layout = new ImageLayout("postgres:18", ["/var/lib/postgresql"], "/var/lib/postgresql/18/docker");

        Assert.Equal("/var/lib/postgresql", layout.DataVolumePath);
    }

    [Fact]
    public void Up_to_17_PGDATA_is_itself_the_volume()
    {
        var layout = new ImageLayout("postgres:17", ["/var/lib/postgresql/data"], "/var/lib/postgresql/data");

        Assert.Equal("/var/lib/postgresql/data", layout.DataVolumePath);
    }

    [Fact]
    public void A_volume_that_merely_shares_a_prefix_does_not_hold_PGDATA()
    {
        var layout = new ImageLayout("custom", ["/data", "/var/lib/postgresql/data"], "/var/lib/postgresql/data2");

        Assert.Throws<InvalidOperationException>(() => layout.DataVolumePath);
    }

    [Fact]
    public void Without_any_volume_the_image_is_refused_by_name()
    {
        var layout = new ImageLayout("busybox", [], null);

        var error = Assert.Throws<InvalidOperationException>(() => layout.DataVolumePath);
        Assert.Contains("busybox", error.Message);
    }

    [Theory]
    [InlineData(15, "/var/lib/postgresql/data", "/var/lib/postgresql/data")]
    [InlineData(17, "/var/lib/postgresql/data", "/var/lib/postgresql/data")]
    [InlineData(18, "/var/lib/postgresql/18/docker", "/var/lib/postgresql")]
    public void The_offline_base_mirrors_the_official_layout(int major, string pgdata, string volume)
    {
        Assert.Equal(new OfflineBaseLayout(pgdata, volume), OfflineBaseLayout.For(major));
    }

    [Theory]
    [InlineData("postgres:18", "postgres", "18")]
    [InlineData("postgres", "postgres", "latest")]
    [InlineData("127.0.0.1:5000/team/postgres:17", "127.0.0.1:5000/team/postgres", "17")]
    [InlineData("127.0.0.1:5000/postgres", "127.0.0.1:5000/postgres", "latest")]
    public void An_image_name_splits_into_repository_and_tag(string image, string repository, string tag)
    {
        Assert.Equal(new ImageReference(repository, tag), ImageReference.Parse(image));
    }
}
