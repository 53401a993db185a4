using k8s;
using k8s.Models;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// Rendered manifests loaded with the Kubernetes client's strict YAML loader, which refuses an
/// unknown field or a value of the wrong type (not a missing required field: the JSON schemas of
/// <see cref="ModelsValidator"/> catch those).
/// </summary>
internal sealed class KubernetesManifests(IReadOnlyList<object> objects)
{
    public IReadOnlyList<object> Objects { get; } = objects;

    public static KubernetesManifests Load(string yaml) => new(KubernetesYaml.LoadAllFromString(yaml, strict: true));

    public IEnumerable<V1StatefulSet> StatefulSets => Objects.OfType<V1StatefulSet>();

    public IEnumerable<V1Service> Services => Objects.OfType<V1Service>();

    public V1StatefulSet StatefulSet(string name) =>
        StatefulSets.SingleOrDefault(s => s.Metadata.Name == name)
        ?? throw new InvalidOperationException($"The manifests have no StatefulSet '{name}'.");

    public V1Secret Secret(string name) =>
        Objects.OfType<V1Secret>().SingleOrDefault(s => s.Metadata.Name == name)
        ?? throw new InvalidOperationException($"The manifests have no Secret '{name}'.");
}
