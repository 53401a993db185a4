using System.Globalization;
using BuildRunner;
using Replication.Tests.Scenarios;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// deploy/kubernetes rendered by <c>kubectl kustomize</c>, as <c>kubectl apply -k overlays/NN</c>
/// would apply it, from a temporary copy whose base/secrets holds generated passwords (the
/// repository holds none). A patch, if given, is applied on top by one more kustomization, the
/// way a user's own overlay would change the manifests.
/// </summary>
internal static class KustomizeRender
{
    public static string SourceDirectory => RepositoryRoot.Combine("deploy", "kubernetes");

    /// <summary>The PostgreSQL majors there is an overlay for: the names of overlays/*.</summary>
    public static IReadOnlyList<int> Majors =>
        [.. Directory.GetDirectories(Path.Combine(SourceDirectory, "overlays"))
            .Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            .Order()];

    /// <summary>The overlay of <paramref name="major"/> with components/<paramref name="component"/> added, as a user's overlay would add it.</summary>
    public static Task<string> RenderWithComponentAsync(int major, string component, CancellationToken ct) =>
        RenderAsync(major, ct, kustomization: string.Join("\n",
        [
            "apiVersion: kustomize.config.k8s.io/v1beta1",
            "kind: Kustomization",
            "resources:",
            $"  - ../overlays/{major}",
            "components:",
            $"  - ../components/{component}",
            "",
        ]));

    /// <param name="patch">A kustomize patch (strategic merge, or JSON 6902 with a target) added on top of the overlay.</param>
    /// <param name="target">For a JSON 6902 patch: the kind and name it applies to, e.g. ("StatefulSet", "standby").</param>
    public static Task<string> RenderAsync(int major, CancellationToken ct, string? patch = null, (string Kind, string Name)? target = null) =>
        RenderAsync(major, ct, patch is null ? null : PatchedKustomization(major, patch, target));

    /// <param name="kustomization">A kustomization.yaml beside the overlays that renders instead of the overlay, or null for the overlay itself.</param>
    private static async Task<string> RenderAsync(int major, CancellationToken ct, string? kustomization)
    {
        var copy = Directory.CreateTempSubdirectory("pgrepl-kustomize-");
        try
        {
            CopyDirectory(SourceDirectory, copy.FullName);
            var secrets = Path.Combine(copy.FullName, "base", "secrets");
            Directory.CreateDirectory(secrets);
            File.WriteAllText(Path.Combine(secrets, "postgres-password"), PostgresReplication.ClusterOptions.NewPassword() + "\n");
            File.WriteAllText(Path.Combine(secrets, "replication-password"), PostgresReplication.ClusterOptions.NewPassword() + "\n");

            var overlay = Path.Combine(copy.FullName, "overlays", major.ToString(CultureInfo.InvariantCulture));
            if (!Directory.Exists(overlay))
            {
                throw new ArgumentException($"There is no overlay for PostgreSQL {major} in {SourceDirectory}.", nameof(major));
            }

            var rendered = overlay;
            if (kustomization is not null)
            {
                rendered = Path.Combine(copy.FullName, "patched");
                Directory.CreateDirectory(rendered);
                File.WriteAllText(Path.Combine(rendered, "kustomization.yaml"), kustomization);
            }

            var result = await HostProcess.RunAsync("kubectl", ["kustomize", rendered], ct);
            return result.ExitCode == 0
                ? result.Stdout
                : throw new InvalidOperationException($"kubectl kustomize {Path.GetRelativePath(copy.FullName, rendered)} failed: {result}");
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    /// <summary>The HA overlays: the names of ha/overlays/*.</summary>
    public static IReadOnlyList<int> HaMajors =>
        [.. Directory.GetDirectories(Path.Combine(SourceDirectory, "ha", "overlays"))
            .Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            .Order()];

    /// <summary>ha/overlays/NN (Patroni on the Kubernetes store), from a copy whose ha/base/secrets holds generated passwords.</summary>
    public static async Task<string> RenderHaAsync(int major, CancellationToken ct)
    {
        var copy = Directory.CreateTempSubdirectory("pgrepl-kustomize-");
        try
        {
            CopyDirectory(SourceDirectory, copy.FullName);
            var secrets = Path.Combine(copy.FullName, "ha", "base", "secrets");
            Directory.CreateDirectory(secrets);
            foreach (var name in new[] { "postgres-password", "replication-password", "patroni-restapi-password" })
            {
                File.WriteAllText(Path.Combine(secrets, name), PostgresReplication.ClusterOptions.NewPassword() + "\n");
            }

            var overlay = Path.Combine(copy.FullName, "ha", "overlays", major.ToString(CultureInfo.InvariantCulture));
            var result = await HostProcess.RunAsync("kubectl", ["kustomize", overlay], ct);
            return result.ExitCode == 0
                ? result.Stdout
                : throw new InvalidOperationException($"kubectl kustomize ha/overlays/{major} failed: {result}");
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static string PatchedKustomization(int major, string patch, (string Kind, string Name)? target)
    {
        List<string> lines =
        [
            "apiVersion: kustomize.config.k8s.io/v1beta1",
            "kind: Kustomization",
            "resources:",
            $"  - ../overlays/{major}",
            "patches:",
            "  - patch: |-",
            .. patch.ReplaceLineEndings("\n").TrimEnd().Split('\n').Select(line => "      " + line),
        ];
        if (target is var (kind, name))
        {
            lines.AddRange(["    target:", $"      kind: {kind}", $"      name: {name}"]);
        }

        return string.Join("\n", lines) + "\n";
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }
}
