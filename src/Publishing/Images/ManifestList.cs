using System.Text.Json;
using System.Text.Json.Nodes;

namespace PostgresReplication.Publishing;

/// <summary>One image of a multi-platform index: the manifest the registry holds, and the platform it runs on.</summary>
public sealed record PlatformManifest(string MediaType, long Size, string Digest, string Os, string Architecture, string? Variant)
{
    public string Platform => Variant is { Length: > 0 } ? $"{Os}/{Architecture}/{Variant}" : $"{Os}/{Architecture}";
}

/// <summary>
/// The document one tag points at when it holds several platforms: a Docker manifest list for the
/// Docker manifests Engine 20.10 pushes, an OCI index when every image is an OCI manifest (what
/// newer engines push). Clients pick the entry for their platform; the bytes are the same for every
/// tag, so every tag has the same digest.
/// </summary>
public static class ManifestList
{
    public const string DockerListMediaType = "application/vnd.docker.distribution.manifest.list.v2+json";

    public const string OciIndexMediaType = "application/vnd.oci.image.index.v1+json";

    public const string DockerManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";

    public const string OciManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    public static string MediaTypeFor(IReadOnlyList<PlatformManifest> images) =>
        images.All(i => i.MediaType == OciManifestMediaType) ? OciIndexMediaType : DockerListMediaType;

    /// <summary>The serialized document, ready to PUT.</summary>
    /// <exception cref="ArgumentException">No images, or two for one platform (a client could not choose).</exception>
    public static byte[] Serialize(IReadOnlyList<PlatformManifest> images)
    {
        if (images.Count == 0)
        {
            throw new ArgumentException("An index needs at least one image.", nameof(images));
        }

        if (images.GroupBy(i => i.Platform).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Two images for {twice.Key}: an index holds one per platform.", nameof(images));
        }

        var manifests = new JsonArray();
        foreach (var image in images)
        {
            var platform = new JsonObject { ["architecture"] = image.Architecture, ["os"] = image.Os };
            if (image.Variant is { Length: > 0 } variant)
            {
                platform["variant"] = variant;
            }

            manifests.Add(new JsonObject
            {
                ["mediaType"] = image.MediaType,
                ["size"] = image.Size,
                ["digest"] = image.Digest,
                ["platform"] = platform,
            });
        }

        var document = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypeFor(images),
            ["manifests"] = manifests,
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true });
    }
}
