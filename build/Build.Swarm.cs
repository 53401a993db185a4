using BuildRunner;
using PostgresReplication;

sealed partial class Build
{
    Target SwarmTest => _ => _
        .Description("Deploys deploy/swarm/stack.yml with --standbys standbys on this engine (made a one-node swarm, and left again, only when it is in none); checks every standby task streams under its own slot and replays rows written through the primary's port; removes the stack")
        .DependsOn(BuildImage)
        .Executes(async ct =>
        {
            if (Standbys < 1)
            {
                throw new BuildFailedException($"--standbys is {Standbys}: the Swarm stack needs at least 1 standby.");
            }

            var docker = await EngineAsync(ct);
            var layout = await new ImageInspector(docker).LayoutAsync(ImageTag, ct);
            // The image id, not its tag: a swarm task given a tag asks a registry for it.
            var imageId = (await docker.Client.Images.InspectImageAsync(ImageTag, ct)).ID;
            await using var swarm = await SwarmMode.EnterAsync(docker, Log.Info, ct);
            await swarm.AddNodeLabelsAsync(SwarmStack.OneNodeLabels, ct);
            await using var stack = SwarmStack.Create(
                docker, Path.Combine(RootDirectory, "deploy", "swarm", "stack.yml"), RunId.New(), imageId, layout.DataVolumePath, Standbys);
            try
            {
                await stack.DeployAndReplicateAsync(Standbys, Log.Info, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Info(await stack.DumpLogsAsync(40, CancellationToken.None));
                throw new BuildFailedException($"stack {stack.Name}: {e.Message}");
            }
        });
}
