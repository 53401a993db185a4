using PostgresReplication;
using Xunit.Abstractions;

namespace Replication.Tests.Scenarios;

/// <summary>Where a new cluster's files land on the volume (see docker/lib/storage.sh and docs/performance.md).</summary>
[Collection(ReplicationCollection.Name)]
public sealed class StorageTests(ReplicationImageFixture image, ITestOutputHelper output)
{
    private const int Ext4TopDirectoryFlag = 0x00020000;

    [Fact]
    public Task New_clusters_spread_their_directories_over_ext4_block_groups() => image.RunClusterAsync(output, async (cluster, ct) =>
    {
        // Given a primary that initialised its volume and a standby that cloned into its own
        var (primary, standby) = await ClusterSetup.StartWithStandbyAsync(cluster, output, ct);
        var pgdata = image.Layout.PgData ?? throw new InvalidOperationException("the image sets no PGDATA");

        foreach (var node in new[] { primary, standby })
        {
            // When its PGDATA's file system and inode flags are read
            var fileSystem = (await RunAsync(cluster, node, ["stat", "--file-system", "--format=%T", pgdata], ct)).Trim();
            var flags = Convert.ToInt32(
                (await RunAsync(
                    cluster,
                    node,
                    ["perl", "-MFcntl", "-e", "sysopen(my $d, $ARGV[0], O_RDONLY) or die $!; my $f = pack('L!', 0); ioctl($d, 0x80086601, $f) or die $!; printf '%x', unpack('L', $f)", pgdata],
                    ct)).Trim(),
                16);
            output.WriteLine($"{node.Name}: {pgdata} on {fileSystem}, inode flags 0x{flags:x}");

            // Then on ext4 (which stat calls ext2/ext3) it carries the top-directory flag
            if (fileSystem == "ext2/ext3")
            {
                Assert.True((flags & Ext4TopDirectoryFlag) != 0, $"{node.Name}'s PGDATA lacks the ext4 top-directory flag (0x{flags:x})");
            }
        }
    });

    private static async Task<string> RunAsync(ReplicationCluster cluster, PostgresNode node, IReadOnlyList<string> command, CancellationToken ct)
    {
        var result = await ContainerExec.RunAsync(cluster.Engine, node.ContainerId, command, ct);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} failed on {node.Name}: {result.Stderr}");
        return result.Stdout;
    }
}
