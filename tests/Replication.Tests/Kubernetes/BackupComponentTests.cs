using k8s.Models;

namespace Replication.Tests.Kubernetes;

/// <summary>
/// components/backup added to each overlay: checked by both validators like the overlays, and
/// wired as its comments say (the claim the primary mounts exists, the job runs pgBackRest in
/// the primary's container, with the right to do that and no other).
/// </summary>
public sealed class BackupComponentTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static TheoryData<int> Majors => [.. KustomizeRender.Majors];

    [Theory]
    [MemberData(nameof(Majors))]
    public async Task The_overlay_with_backups_passes_both_validators(int major)
    {
        using var deadline = new CancellationTokenSource(Timeout);

        // Given an overlay with the backup component, as kubectl apply -k would send it
        var yaml = await KustomizeRender.RenderWithComponentAsync(major, "backup", deadline.Token);

        // Then every document loads strictly and fits its schema, the backup's four among them
        var manifests = KubernetesManifests.Load(yaml);
        var verdicts = await ModelsValidator.ValidateAsync(yaml, deadline.Token);
        Assert.Empty(verdicts.Where(v => v.Errors.Count > 0).Select(v => $"{v.Kind}/{v.Name}: {string.Join("; ", v.Errors)}"));
        Assert.Equal(manifests.Objects.Count, verdicts.Count);
        Assert.Subset(
            verdicts.Select(v => $"{v.Kind}/{v.Name}").ToHashSet(),
            new HashSet<string>
            {
                "CronJob/pgbackrest-backup", "PersistentVolumeClaim/pgbackrest-repository", "Role/pgbackrest-backup",
                "RoleBinding/pgbackrest-backup", "ServiceAccount/pgbackrest-backup",
            });
    }

    [Fact]
    public async Task The_primary_mounts_the_repository_claim_where_its_variable_points_and_the_standbys_do_not()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var manifests = KubernetesManifests.Load(await KustomizeRender.RenderWithComponentAsync(18, "backup", deadline.Token));

        var primary = manifests.StatefulSet("primary").Spec.Template.Spec;
        var path = primary.Containers[0].Env.Single(e => e.Name == "PGBACKREST_REPO1_PATH").Value;
        var volume = primary.Volumes.Single(v => v.PersistentVolumeClaim?.ClaimName == "pgbackrest-repository");
        Assert.Contains(primary.Containers[0].VolumeMounts, m => m.Name == volume.Name && m.MountPath == path);
        Assert.Single(manifests.Objects.OfType<V1PersistentVolumeClaim>(), c => c.Metadata.Name == "pgbackrest-repository");
        // The read-only root file system: the configuration the entrypoint writes needs a volume
        Assert.Contains(primary.Containers[0].VolumeMounts, m => m.MountPath == "/etc/pgbackrest");
        Assert.DoesNotContain(manifests.StatefulSet("standby").Spec.Template.Spec.Containers[0].Env, e => e.Name.StartsWith("PGBACKREST_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_scheduled_job_runs_pgbackrest_backup_in_the_primarys_container_and_may_exec_there_only()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var manifests = KubernetesManifests.Load(await KustomizeRender.RenderWithComponentAsync(18, "backup", deadline.Token));

        var job = manifests.Objects.OfType<V1CronJob>().Single();
        var command = job.Spec.JobTemplate.Spec.Template.Spec.Containers.Single().Command;
        var primary = manifests.StatefulSet("primary");
        Assert.Equal("Forbid", job.Spec.ConcurrencyPolicy);
        Assert.Equal(["kubectl", "exec", $"{primary.Metadata.Name}-0", $"--container={primary.Spec.Template.Spec.Containers[0].Name}", "--", "pgbackrest", "backup"], command.Take(7));

        var role = manifests.Objects.OfType<V1Role>().Single();
        Assert.All(role.Rules, rule => Assert.Equal([$"{primary.Metadata.Name}-0"], rule.ResourceNames));
        Assert.Equal(job.Spec.JobTemplate.Spec.Template.Spec.ServiceAccountName, manifests.Objects.OfType<V1RoleBinding>().Single().Subjects.Single().Name);
    }
}
