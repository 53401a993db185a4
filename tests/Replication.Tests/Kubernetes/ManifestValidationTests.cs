using k8s.Models;
using YamlDotNet.Core;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// Every overlay of deploy/kubernetes rendered and checked by both offline validators: the
/// Kubernetes client's strict loader (unknown fields, wrong types) and the API's JSON schemas
/// (missing required fields, wrong types). The broken manifests below prove each catches its kind
/// of mistake, and why one alone would not do.
/// </summary>
public sealed class ManifestValidationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static TheoryData<int> Majors => [.. KustomizeRender.Majors];

    [Fact]
    public void There_is_an_overlay_for_every_tested_PostgreSQL_major() =>
        Assert.Equal([15, 17, 18], KustomizeRender.Majors);

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task Every_document_of_the_overlay_passes_both_validators(int major)
    {
        using var deadline = new CancellationTokenSource(Timeout);

        // Given the overlay as kubectl apply -k would send it
        var yaml = await KustomizeRender.RenderAsync(major, deadline.Token);

        // Then the strict loader reads every document into its type, and every document fits its schema
        var manifests = KubernetesManifests.Load(yaml);
        var verdicts = await ModelsValidator.ValidateAsync(yaml, deadline.Token);
        Assert.Empty(verdicts.Where(v => v.Errors.Count > 0).Select(v => $"{v.Kind}/{v.Name}: {string.Join("; ", v.Errors)}"));
        Assert.Equal(manifests.Objects.Count, verdicts.Count);
        Assert.Equal(
            ["PodDisruptionBudget/primary", "PodDisruptionBudget/standby", "Secret/postgres-replication", "Service/postgres-ro",
                "Service/postgres-rw", "Service/primary", "Service/standby", "StatefulSet/primary", "StatefulSet/standby"],
            verdicts.Select(v => $"{v.Kind}/{NameWithoutHash(v)}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Strict_loader_refuses_an_unknown_field_which_the_schemas_let_through()
    {
        using var deadline = new CancellationTokenSource(Timeout);

        // Given a readiness probe with a misspelt field, which Kubernetes would drop without a word
        var yaml = await KustomizeRender.RenderAsync(18, deadline.Token, """
            - op: add
              path: /spec/template/spec/containers/0/readinessProbe/periodSecond
              value: 5
            """, ("StatefulSet", "standby"));

        // Then the strict loader refuses it, naming the field; the schemas allow unknown fields
        var refusal = Assert.ThrowsAny<YamlException>(() => KubernetesManifests.Load(yaml));
        Assert.Contains("periodSecond", refusal.Message + refusal.InnerException?.Message, StringComparison.Ordinal);
        Assert.All(await ModelsValidator.ValidateAsync(yaml, deadline.Token), v => Assert.Empty(v.Errors));
    }

    [Fact]
    public async Task Schemas_refuse_a_missing_required_field_which_the_strict_loader_lets_through()
    {
        using var deadline = new CancellationTokenSource(Timeout);

        // Given a StatefulSet whose container has no name, which the API server would reject
        var yaml = await KustomizeRender.RenderAsync(18, deadline.Token, """
            - op: remove
              path: /spec/template/spec/containers/0/name
            """, ("StatefulSet", "standby"));

        // Then the schema says what is missing; the strict loader reads it with a null name
        var broken = Assert.Single(await ModelsValidator.ValidateAsync(yaml, deadline.Token), v => v.Errors.Count > 0);
        Assert.Equal("StatefulSet/standby", $"{broken.Kind}/{broken.Name}");
        Assert.Contains(broken.Errors, e => e.Contains("/spec/template/spec/containers/0", StringComparison.Ordinal)
            && e.Contains("required property name", StringComparison.Ordinal));
        var loaded = KubernetesManifests.Load(yaml);
        Assert.Null(loaded.StatefulSet("standby").Spec.Template.Spec.Containers[0].Name);
    }

    [Fact]
    public async Task Both_validators_refuse_a_value_of_the_wrong_type()
    {
        using var deadline = new CancellationTokenSource(Timeout);

        // Given replicas written as a word
        var yaml = await KustomizeRender.RenderAsync(18, deadline.Token, """
            - op: replace
              path: /spec/replicas
              value: two
            """, ("StatefulSet", "standby"));

        // Then both refuse it
        Assert.ThrowsAny<YamlException>(() => KubernetesManifests.Load(yaml));
        var broken = Assert.Single(await ModelsValidator.ValidateAsync(yaml, deadline.Token), v => v.Errors.Count > 0);
        Assert.Contains("/spec/replicas must be integer", broken.Errors);
    }

    /// <summary>The Secret's name ends in a hash of its content, different at every render.</summary>
    private static string NameWithoutHash(SchemaVerdict verdict) =>
        verdict.Kind == V1Secret.KubeKind ? verdict.Name[..verdict.Name.LastIndexOf('-')] : verdict.Name;
}
