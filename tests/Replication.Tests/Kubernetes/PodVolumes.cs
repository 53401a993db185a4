using BuildRunner;
using Docker.DotNet.Models;
using PostgresReplication;
using Replication.Tests.Scenarios;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// A pod's volumes as the kubelet hands them to its container: a claim's volume empty, its root
/// root's but group-owned by the fsGroup (group-writable, setgid); a secret's keys as files owned
/// by root, group and mode as the kubelet sets them; an emptyDir world-writable. Claim volumes carry
/// the run's labels (the janitor removes them); the secrets' host folders go on dispose.
/// </summary>
internal sealed class PodVolumes(DockerEngine engine, RunId run, string network, string helperImage) : IDisposable
{
    private readonly List<DirectoryInfo> _secretFolders = [];

    /// <summary>The kubelet makes an emptyDir 0777 and, with an fsGroup, group-owned and setgid.</summary>
    public static Dictionary<string, string> EmptyDirs(PodSpec spec) =>
        spec.EmptyDirs.ToDictionary(path => path, _ => spec.Security.FsGroup is { } group ? $"mode=2777,gid={group}" : "mode=0777");

    /// <summary>The pod's claim, named as the StatefulSet controller names it (data-standby-0), owned as the kubelet leaves it.</summary>
    public async Task<Mount> ClaimAsync(PodSpec spec, ClaimMount claim, CancellationToken ct)
    {
        var name = $"{network}-{claim.Claim}-{spec.Name}";
        await engine.Client.Volumes.CreateAsync(new VolumesCreateParameters { Name = name, Labels = ResourceLabels.ForNode(run, spec.Name) }, ct);
        if (spec.Security.FsGroup is { } group)
        {
            // The kubelet gives the volume's root to the fsGroup, group-writable and setgid; it stays root's.
            await RunAsRootAsync(["sh", "-c", $"chown 0:{group} /claim && chmod 2775 /claim"], $"{name}:/claim:nocopy", ct);
        }

        // A new persistent volume is empty: nothing of the image is copied into it.
        return new Mount { Type = "volume", Source = name, Target = claim.MountPath, VolumeOptions = new VolumeOptions { NoCopy = true } };
    }

    /// <summary>A secret volume: its files as the kubelet writes them, in a host folder bound read-only at the mount path.</summary>
    public async Task<Mount> SecretAsync(SecretVolume secret, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Secret files get Unix owners and modes; run this on Linux.");
        }

        var folder = Directory.CreateTempSubdirectory("pgrepl-k8s-secret-");
        lock (_secretFolders)
        {
            _secretFolders.Add(folder);
        }

        File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_101_101);
        foreach (var file in secret.Files)
        {
            var path = Path.Combine(folder.FullName, file.Name);
            await File.WriteAllBytesAsync(path, file.Content, ct);
            File.SetUnixFileMode(path, file.Mode);
            if (file.Group is { } group)
            {
                var chown = await HostProcess.RunAsync("chown", [$"0:{group}", path], ct);
                if (chown.ExitCode != 0)
                {
                    throw new InvalidOperationException($"chown of a secret file failed (the tests run as root): {chown}");
                }
            }
        }

        return new Mount { Type = "bind", Source = folder.FullName, Target = secret.MountPath, ReadOnly = true };
    }

    private async Task RunAsRootAsync(IReadOnlyList<string> command, string bind, CancellationToken ct)
    {
        var created = await engine.Client.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = helperImage,
                Entrypoint = [.. command],
                User = "0",
                Labels = ResourceLabels.ForRun(run),
                HostConfig = new HostConfig { Binds = [bind], NetworkMode = "none" },
            },
            ct);
        try
        {
            await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
            var exit = await engine.Client.Containers.WaitContainerAsync(created.ID, ct);
            if (exit.StatusCode != 0)
            {
                throw new InvalidOperationException(
                    $"'{string.Join(' ', command)}' exited {exit.StatusCode}: {await ContainerLogs.ReadAsync(engine.Client, created.ID, 20, ct)}");
            }
        }
        finally
        {
            await Janitor.RemoveContainerAsync(engine.Client, created.ID, ct);
        }
    }

    public void Dispose()
    {
        lock (_secretFolders)
        {
            _secretFolders.ForEach(folder => folder.Delete(recursive: true));
        }
    }
}
