using k8s.Models;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// An exec probe as the kubelet runs it: the command inside the container, as the container's
/// user; it succeeds when it exits 0 within <see cref="TimeoutSeconds"/>.
/// </summary>
internal sealed record ExecProbe(
    IReadOnlyList<string> Command, int PeriodSeconds, int TimeoutSeconds, int FailureThreshold, int InitialDelaySeconds)
{
    /// <summary>How long the kubelet keeps failing this probe before it acts (gives up on startup, restarts on liveness).</summary>
    public TimeSpan Budget => TimeSpan.FromSeconds(InitialDelaySeconds + ((double)PeriodSeconds * FailureThreshold));

    /// <summary>The API's defaults apply to what the manifest leaves out.</summary>
    public static ExecProbe? From(V1Probe? probe, string which)
    {
        if (probe is null)
        {
            return null;
        }

        if (probe.Exec?.Command is not { Count: > 0 } command)
        {
            throw new NotSupportedException($"The {which} probe is not an exec probe; only exec probes run here.");
        }

        return new ExecProbe(
            [.. command], probe.PeriodSeconds ?? 10, probe.TimeoutSeconds ?? 1, probe.FailureThreshold ?? 3, probe.InitialDelaySeconds ?? 0);
    }

    public override string ToString() => string.Join(' ', Command);
}

/// <summary>A file of a secret volume: owned by root, group and mode as the kubelet sets them.</summary>
internal sealed record SecretFile(string Name, byte[] Content, UnixFileMode Mode, int? Group);

internal sealed record SecretVolume(string MountPath, IReadOnlyList<SecretFile> Files);

/// <summary>A volumeMount of a volumeClaimTemplate: the pod's own persistent volume.</summary>
internal sealed record ClaimMount(string Claim, string MountPath);

/// <summary>
/// The pod's and the container's securityContext, merged as the kubelet merges them (the
/// container's wins). <see cref="User"/> is "uid" or "uid:gid" as <c>docker run --user</c> takes
/// it, empty for the image's user; <see cref="Groups"/> are the supplementary groups (fsGroup and
/// supplementalGroups).
/// </summary>
internal sealed record ContainerSecurity(
    string User,
    IReadOnlyList<string> Groups,
    int? FsGroup,
    bool ReadOnlyRootFilesystem,
    bool NoNewPrivileges,
    IReadOnlyList<string> CapabilitiesDropped,
    IReadOnlyList<string> CapabilitiesAdded);

/// <summary>
/// One pod of a StatefulSet as Docker runs it: what the API server and the kubelet make of the pod
/// template for one ordinal. The pod's name is its hostname; each claim template is a volume of
/// its own; secrets are files at their mount paths; the security context is the container's user,
/// groups and capabilities. A pod template that uses what this does not know how to run (a second
/// container, an init container, an HTTP probe...) throws <see cref="NotSupportedException"/>
/// rather than run differently from Kubernetes.
/// </summary>
internal sealed record PodSpec
{
    public required string Name { get; init; }

    public required string StatefulSet { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public required string Image { get; init; }

    /// <summary>The container's command (replaces the image's ENTRYPOINT) and args (its CMD); null keeps the image's.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>NAME=value, secret references resolved.</summary>
    public required IReadOnlyList<string> Environment { get; init; }

    public required ContainerSecurity Security { get; init; }

    public required IReadOnlyList<ClaimMount> Claims { get; init; }

    public required IReadOnlyList<SecretVolume> Secrets { get; init; }

    public required IReadOnlyList<string> EmptyDirs { get; init; }

    /// <summary>Names the pod answers to on the pod network: every Service that selects it, and pod.service for its StatefulSet's.</summary>
    public required IReadOnlyList<string> DnsNames { get; init; }

    public ExecProbe? Startup { get; init; }

    public ExecProbe? Readiness { get; init; }

    public ExecProbe? Liveness { get; init; }

    public static PodSpec For(V1StatefulSet set, int ordinal, KubernetesManifests manifests)
    {
        var name = $"{set.Metadata.Name}-{ordinal}";
        var pod = set.Spec.Template.Spec;
        if (pod.Containers is not [var container] || pod.InitContainers is { Count: > 0 })
        {
            throw new NotSupportedException($"Pods of {set.Metadata.Name} have other than one container; one runs here.");
        }

        if (pod.HostNetwork == true || pod.Hostname is not null || pod.SetHostnameAsFQDN == true)
        {
            throw new NotSupportedException($"Pods of {set.Metadata.Name} do not take their name as hostname.");
        }

        var labels = new Dictionary<string, string>(set.Spec.Template.Metadata.Labels ?? new Dictionary<string, string>())
        {
            ["statefulset.kubernetes.io/pod-name"] = name,
        };
        var security = SecurityOf(set, pod, container);
        return new PodSpec
        {
            Name = name,
            StatefulSet = set.Metadata.Name,
            Labels = labels,
            Image = container.Image,
            Command = container.Command is { Count: > 0 } command ? [.. command] : null,
            Args = container.Args is { Count: > 0 } args ? [.. args] : null,
            Environment = EnvironmentOf(container, name, manifests),
            Security = security,
            Claims = ClaimsOf(set, container),
            Secrets = SecretsOf(pod, container, manifests, security.FsGroup),
            EmptyDirs = [.. (container.VolumeMounts ?? []).Where(m => VolumeOf(pod, m)?.EmptyDir is not null).Select(m => m.MountPath)],
            DnsNames = DnsNamesOf(set, name, labels, container, manifests),
            Startup = ExecProbe.From(container.StartupProbe, "startup"),
            Readiness = ExecProbe.From(container.ReadinessProbe, "readiness"),
            Liveness = ExecProbe.From(container.LivenessProbe, "liveness"),
        };
    }

    /// <summary>The value of an environment variable; null when the container does not set it.</summary>
    public string? Variable(string name) =>
        Environment.Select(e => e.Split('=', 2)).FirstOrDefault(p => p[0] == name)?[1];

    private static ContainerSecurity SecurityOf(V1StatefulSet set, V1PodSpec pod, V1Container container)
    {
        var podContext = pod.SecurityContext ?? new V1PodSecurityContext();
        var context = container.SecurityContext ?? new V1SecurityContext();
        var uid = context.RunAsUser ?? podContext.RunAsUser;
        var gid = context.RunAsGroup ?? podContext.RunAsGroup;
        // The kubelet refuses to start such a container; so does this.
        if ((context.RunAsNonRoot ?? podContext.RunAsNonRoot) == true && uid is null or 0)
        {
            throw new InvalidOperationException(
                $"Pods of {set.Metadata.Name} ask for runAsNonRoot but run as {(uid is null ? "the image's user, root" : "uid 0")}: the kubelet would not start them.");
        }

        long?[] groups = [podContext.FsGroup, .. (podContext.SupplementalGroups ?? []).Select(g => (long?)g)];
        return new ContainerSecurity(
            User: uid is null ? "" : gid is null ? $"{uid}" : $"{uid}:{gid}",
            Groups: [.. groups.OfType<long>().Select(g => g.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            FsGroup: podContext.FsGroup is { } fsGroup ? (int)fsGroup : null,
            ReadOnlyRootFilesystem: context.ReadOnlyRootFilesystem == true,
            NoNewPrivileges: context.AllowPrivilegeEscalation == false,
            CapabilitiesDropped: [.. context.Capabilities?.Drop ?? []],
            CapabilitiesAdded: [.. context.Capabilities?.Add ?? []]);
    }

    private static List<string> EnvironmentOf(V1Container container, string podName, KubernetesManifests manifests)
    {
        if (container.EnvFrom is { Count: > 0 })
        {
            throw new NotSupportedException("envFrom is not run here; list the variables under env.");
        }

        return [.. (container.Env ?? []).Select(variable => variable switch
        {
            { ValueFrom: null } => $"{variable.Name}={variable.Value}",
            { ValueFrom.SecretKeyRef: { } key } => $"{variable.Name}={System.Text.Encoding.UTF8.GetString(SecretData(manifests, key.Name, key.Key))}",
            { ValueFrom.FieldRef.FieldPath: "metadata.name" } => $"{variable.Name}={podName}",
            _ => throw new NotSupportedException($"The source of {variable.Name} is not run here."),
        })];
    }

    private static List<ClaimMount> ClaimsOf(V1StatefulSet set, V1Container container)
    {
        var claims = (set.Spec.VolumeClaimTemplates ?? []).Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        return [.. (container.VolumeMounts ?? []).Where(m => claims.Contains(m.Name)).Select(m => new ClaimMount(m.Name, MountPathOf(m)))];
    }

    private static List<SecretVolume> SecretsOf(V1PodSpec pod, V1Container container, KubernetesManifests manifests, int? fsGroup)
    {
        var volumes = new List<SecretVolume>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (VolumeOf(pod, mount)?.Secret is not { } source)
            {
                continue;
            }

            var secret = manifests.Secret(source.SecretName);
            var items = source.Items is { Count: > 0 }
                ? source.Items.Select(i => (i.Key, i.Path, i.Mode))
                : (secret.Data ?? new Dictionary<string, byte[]>()).Keys.Select(k => (Key: k, Path: k, Mode: (int?)null));
            volumes.Add(new SecretVolume(
                MountPathOf(mount),
                [.. items.Select(i => new SecretFile(
                    i.Path, SecretData(manifests, secret.Metadata.Name, i.Key), SecretFileMode(i.Mode ?? source.DefaultMode ?? 420, fsGroup), fsGroup))]));
        }

        return volumes;
    }

    /// <summary>
    /// The kubelet writes each file with its mode (the API's default is 0644); with an fsGroup the
    /// file's group becomes that group and the group may read it (read-only volume: mode | 0440).
    /// </summary>
    internal static UnixFileMode SecretFileMode(int mode, int? fsGroup) =>
        (UnixFileMode)(fsGroup is null ? mode : mode | 0b100_100_000) & (UnixFileMode)0b111_111_111;

    private static List<string> DnsNamesOf(
        V1StatefulSet set, string podName, Dictionary<string, string> labels, V1Container container, KubernetesManifests manifests)
    {
        var names = new List<string>();
        foreach (var service in manifests.Services)
        {
            if (service.Spec.Selector is not { Count: > 0 } selector || !selector.All(s => labels.GetValueOrDefault(s.Key) == s.Value))
            {
                continue;
            }

            // A network alias answers on the container's own port: the Service must not map it to another.
            foreach (var port in service.Spec.Ports ?? [])
            {
                var targetPort = port.TargetPort?.Value;
                int? target = targetPort is null ? port.Port
                    : int.TryParse(targetPort, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
                    : container.Ports?.FirstOrDefault(p => p.Name == targetPort)?.ContainerPort;
                if (target != port.Port)
                {
                    throw new NotSupportedException($"Service {service.Metadata.Name} maps port {port.Port} to {target?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}; only the same port runs here.");
                }
            }

            names.Add(service.Metadata.Name);
            if (service.Metadata.Name == set.Spec.ServiceName && service.Spec.ClusterIP == "None")
            {
                names.Add($"{podName}.{service.Metadata.Name}");
            }
        }

        return names;
    }

    private static V1Volume? VolumeOf(V1PodSpec pod, V1VolumeMount mount) =>
        pod.Volumes?.FirstOrDefault(v => v.Name == mount.Name);

    private static string MountPathOf(V1VolumeMount mount) =>
        mount.SubPath is { Length: > 0 } || mount.SubPathExpr is { Length: > 0 }
            ? throw new NotSupportedException($"volumeMount {mount.Name} uses a subPath; only whole volumes run here.")
            : mount.MountPath;

    private static byte[] SecretData(KubernetesManifests manifests, string secretName, string key) =>
        manifests.Secret(secretName).Data?.TryGetValue(key, out var value) == true
            ? value
            : throw new InvalidOperationException($"Secret {secretName} has no key '{key}': the kubelet would not start the pod.");
}
