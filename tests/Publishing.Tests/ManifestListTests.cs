using System.Text.Json;

namespace PostgresReplication.Publishing.Tests;

public sealed class ManifestListTests
{
    private static readonly PlatformManifest Amd64 =
        new(ManifestList.DockerManifestMediaType, 1570, $"sha256:{new string('a', 64)}", "linux", "amd64", null);

    private static readonly PlatformManifest Arm64 =
        new(ManifestList.DockerManifestMediaType, 1571, $"sha256:{new string('b', 64)}", "linux", "arm64", "v8");

    [Fact]
    public void Docker_manifests_make_a_docker_manifest_list_naming_each_platform()
    {
        // Given the manifests Engine 20.10 pushes for amd64 and arm64
        // When they are made one list
        using var json = JsonDocument.Parse(ManifestList.Serialize([Amd64, Arm64]));

        // Then it is a manifest list with one entry per platform, in order, with size and digest
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(ManifestList.DockerListMediaType, root.GetProperty("mediaType").GetString());
        var entries = root.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(["amd64", "arm64"], entries.Select(e => e.GetProperty("platform").GetProperty("architecture").GetString()));
        Assert.Equal(1571, entries[1].GetProperty("size").GetInt64());
        Assert.Equal(Arm64.Digest, entries[1].GetProperty("digest").GetString());
        Assert.Equal("v8", entries[1].GetProperty("platform").GetProperty("variant").GetString());
        Assert.False(entries[0].GetProperty("platform").TryGetProperty("variant", out _));
    }

    [Fact]
    public void Oci_manifests_make_an_oci_index()
    {
        var oci = (PlatformManifest[])[Amd64 with { MediaType = ManifestList.OciManifestMediaType },
            Arm64 with { MediaType = ManifestList.OciManifestMediaType }];

        Assert.Equal(ManifestList.OciIndexMediaType, ManifestList.MediaTypeFor(oci));
    }

    [Fact]
    public void Two_images_of_one_platform_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ManifestList.Serialize([Amd64, Amd64 with { Size = 9 }]));

        Assert.Contains("linux/amd64", error.Message, StringComparison.Ordinal);
    }
}
