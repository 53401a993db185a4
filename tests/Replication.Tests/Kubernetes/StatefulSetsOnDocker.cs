using System.Diagnostics;
using Docker.DotNet.Models;
using k8s.Models;
using PostgresReplication;
using Replication.Tests.Scenarios;

namespace Replication.Tests.Kubernetes;

internal sealed record RunningPod(PodSpec Spec, string ContainerId)
{
    public string Name => Spec.Name;
}

/// <summary>What an exec probe answered. Kubernetes reads exit 0 within the probe's timeout as success.</summary>
internal sealed record ProbeAnswer(long ExitCode, string Output, TimeSpan Took, bool TimedOut)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    public override string ToString() =>
        TimedOut ? $"no answer within {Took.TotalSeconds:0.#} s" : $"exit {ExitCode} after {Took.TotalSeconds:0.#} s: {Output}";
}

/// <summary>
/// The StatefulSets of rendered manifests run on Docker as a cluster would run them, for tests
/// that have no cluster: pods set-0, set-1... with that name as hostname; a volume per claim
/// template and pod, empty and group-owned by the fsGroup as the kubelet hands over a new
/// persistent volume; secrets as files at their mount paths; emptyDirs as tmpfs (see
/// <see cref="PodVolumes"/>); the security context as user, groups, capabilities and a read-only root; Services as DNS names on one
/// network whose subnet is the pod CIDR. Pods start as the StatefulSet controller starts them
/// (OrderedReady: each once the one before is ready; Parallel: all at once) and are ready once
/// their startup probe, then their readiness probe, succeed. Docker's own HEALTHCHECK is off, as
/// Kubernetes ignores it. Everything carries the run's labels and is removed on dispose.
/// </summary>
internal sealed class StatefulSetsOnDocker(
    DockerEngine engine, RunId run, KubernetesManifests manifests, Func<string, string> image, string podCidr, Action<string> log)
    : IAsyncDisposable
{
    private readonly List<RunningPod> _pods = [];
    private readonly Lock _lock = new();
    private readonly PodVolumes _volumes = new(
        engine, run, $"pgrepl-k8s-{run}", image(manifests.StatefulSets.First().Spec.Template.Spec.Containers[0].Image));

    public string Network => $"pgrepl-k8s-{run}";

    public IReadOnlyList<RunningPod> Pods
    {
        get
        {
            lock (_lock)
            {
                return [.. _pods.OrderBy(p => p.Name, StringComparer.Ordinal)];
            }
        }
    }

    public RunningPod Pod(string name) => Pods.SingleOrDefault(p => p.Name == name) ?? throw new InvalidOperationException($"No pod {name} runs.");

    /// <summary>Starts every StatefulSet; returns once every pod is ready, or throws when a pod's container exits first.</summary>
    public async Task StartAsync(TimeSpan readyTimeout, CancellationToken ct)
    {
        await engine.Client.Networks.CreateNetworkAsync(
            new NetworksCreateParameters
            {
                Name = Network,
                Driver = "bridge",
                // Pods talk to each other only: nothing they send leaves this network.
                Internal = true,
                Labels = ResourceLabels.ForRun(run),
                IPAM = new IPAM { Config = [new IPAMConfig { Subnet = podCidr }] },
            },
            ct);
        await Task.WhenAll(manifests.StatefulSets.Select(set => StartStatefulSetAsync(set, readyTimeout, ct)));
    }

    /// <summary>Runs an exec probe's command once, as the kubelet does: in the container, as its user, cut off at its timeout.</summary>
    public async Task<ProbeAnswer> ProbeAsync(RunningPod pod, ExecProbe probe, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(probe.TimeoutSeconds));
        try
        {
            var result = await ContainerExec.RunAsync(engine, pod.ContainerId, probe.Command, limit.Token);
            return new ProbeAnswer(result.ExitCode, (result.Stdout + result.Stderr).Trim(), clock.Elapsed, TimedOut: false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProbeAnswer(-1, "", clock.Elapsed, TimedOut: true);
        }
    }

    /// <summary>The last lines of every pod's log, for a failed test's output.</summary>
    public async Task<string> DumpLogsAsync(int lines, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        foreach (var pod in Pods)
        {
            text.AppendLine($"--- {pod.Name}");
            text.AppendLine(await ContainerLogs.ReadAsync(engine.Client, pod.ContainerId, lines, ct));
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await Janitor.SweepAsync(engine, run, timeout.Token);
        }
        finally
        {
            _volumes.Dispose();
        }
    }

    private async Task StartStatefulSetAsync(V1StatefulSet set, TimeSpan readyTimeout, CancellationToken ct)
    {
        var orderedReady = (set.Spec.PodManagementPolicy ?? "OrderedReady") == "OrderedReady";
        var starting = new List<RunningPod>();
        for (var ordinal = 0; ordinal < (set.Spec.Replicas ?? 1); ordinal++)
        {
            var pod = await CreatePodAsync(PodSpec.For(set, ordinal, manifests), ct);
            if (orderedReady)
            {
                await UntilReadyAsync(pod, readyTimeout, ct);
            }
            else
            {
                starting.Add(pod);
            }
        }

        await Task.WhenAll(starting.Select(pod => UntilReadyAsync(pod, readyTimeout, ct)));
    }

    private async Task<RunningPod> CreatePodAsync(PodSpec spec, CancellationToken ct)
    {
        List<Mount> mounts = [];
        foreach (var claim in spec.Claims)
        {
            mounts.Add(await _volumes.ClaimAsync(spec, claim, ct));
        }

        foreach (var secret in spec.Secrets)
        {
            mounts.Add(await _volumes.SecretAsync(secret, ct));
        }

        var security = spec.Security;
        var parameters = new CreateContainerParameters
        {
            Name = $"{Network}-{spec.Name}",
            Hostname = spec.Name,
            Image = image(spec.Image),
            Env = [.. spec.Environment],
            User = security.User,
            Labels = ResourceLabels.ForNode(run, spec.Name),
            Healthcheck = new HealthcheckConfig { Test = ["NONE"] },
            HostConfig = new HostConfig
            {
                NetworkMode = Network,
                Mounts = mounts,
                Tmpfs = PodVolumes.EmptyDirs(spec),
                ReadonlyRootfs = security.ReadOnlyRootFilesystem,
                GroupAdd = [.. security.Groups],
                CapDrop = [.. security.CapabilitiesDropped],
                CapAdd = [.. security.CapabilitiesAdded],
                SecurityOpt = security.NoNewPrivileges ? ["no-new-privileges"] : [],
                // Names no Service answers for fail inside the pod, never leaving the machine.
                DNS = ["127.0.0.1"],
            },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { [Network] = new() { Aliases = [.. spec.DnsNames] } },
            },
        };
        // command replaces the image's ENTRYPOINT (and with it its CMD), args its CMD, as in Kubernetes.
        if (spec.Command is { } command)
        {
            parameters.Entrypoint = [.. command];
        }

        if (spec.Args is { } args)
        {
            parameters.Cmd = [.. args];
        }

        var created = await engine.Client.Containers.CreateContainerAsync(parameters, ct);
        var pod = new RunningPod(spec, created.ID);
        lock (_lock)
        {
            _pods.Add(pod);
        }

        await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
        log($"{spec.Name} started ({string.Join(", ", spec.DnsNames)})");
        return pod;
    }

    private async Task UntilReadyAsync(RunningPod pod, TimeSpan timeout, CancellationToken ct)
    {
        // The kubelet probes every periodSeconds; this asks more often, which changes when a pod is
        // seen ready, not whether it is. It never waits beyond the startup probe's own budget.
        if (pod.Spec.Startup is { } startup)
        {
            await UntilProbeSucceedsAsync(pod, startup, "startup", timeout < startup.Budget ? timeout : startup.Budget, ct);
        }

        if (pod.Spec.Readiness is { } readiness)
        {
            await UntilProbeSucceedsAsync(pod, readiness, "readiness", timeout, ct);
        }

        log($"{pod.Name} ready");
    }

    private Task UntilProbeSucceedsAsync(RunningPod pod, ExecProbe probe, string which, TimeSpan timeout, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{pod.Name}'s {which} probe ({probe}) to succeed",
            async token =>
            {
                await ThrowIfExitedAsync(pod, token);
                var answer = await ProbeAsync(pod, probe, token);
                return answer.Succeeded ? Probe<bool>.Done(true) : Probe<bool>.NotYet(answer.ToString());
            },
            timeout,
            ct);

    /// <summary>A pod whose container exited before it was ready would be restarted by the kubelet, again and again.</summary>
    private async Task ThrowIfExitedAsync(RunningPod pod, CancellationToken ct)
    {
        var state = (await engine.Client.Containers.InspectContainerAsync(pod.ContainerId, ct)).State;
        if (state is { Running: false })
        {
            var log = await ContainerLogs.ReadAsync(engine.Client, pod.ContainerId, 20, ct);
            throw new ContainerExitedException(pod.Name, state.ExitCode, ContainerLogs.LastLines(log, 5));
        }
    }
}
