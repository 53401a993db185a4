using BuildRunner;
using PostgresReplication;

/// <summary>
/// The pipeline, in the tutorial's steps: build the image, start a primary and standbys, seed
/// the primary, assert every standby has the rows, clean up; then publish. One file per concern:
/// Build.Image.cs, Build.Cluster.cs, Build.RoleChange.cs, Build.LocalCluster.cs, Build.Swarm.cs, Build.Publish.cs, Build.Benchmark.cs.
/// </summary>
sealed partial class Build : NukeBuild
{
    public static Task<int> Main(string[] args) => Execute<Build>(args, x => x.Test);

    // Not readonly: Benchmark sets it to the host binaries' major when it is not given (Build.Benchmark.cs).
    [Parameter("PostgreSQL major version to build and test (15, 17 and 18 are tested)")]
    int PgVersion = PostgresVersions.Default;

    [Parameter("Number of standbys to start")]
    readonly int Standbys = 1;

    [Parameter("Rows the seed writes into replication_test (the first is the tutorial's (1, 2, 'it works'))")]
    readonly int Rows = 1;

    [Parameter("Base image (default: postgres:{pg-version}; without a registry an offline base is built from Debian packages)", Name = "BaseImage")]
    readonly string? BaseImageParameter;

    [Parameter("Never ask a registry for the base image: use a local one or build the offline base")]
    readonly bool NoPull;

    [Parameter("Name of the image to build; tagged {image}:{pg-version}")]
    readonly string Image = "postgres-replication";

    [Parameter("Extra environment for the primary, as NAME=VALUE")]
    readonly string[] PrimaryEnv = [];

    [Parameter("Extra environment for every standby, as NAME=VALUE (e.g. to try a wrong REPLICATION_PASSWORD)")]
    readonly string[] StandbyEnv = [];

    [Parameter("Seconds to wait for a node to accept connections, stream or replay")]
    readonly int WaitTimeout = 120;

    DockerEngine? engine;

    string ImageTag => $"{Image}:{PgVersion}";

    string DockerDirectory => Path.Combine(RootDirectory, "docker");

    string TempDirectory => Path.Combine(RootDirectory, ".nuke", "temp");

    async Task<DockerEngine> EngineAsync(CancellationToken ct)
    {
        if (engine is null)
        {
            engine = await DockerEngine.ConnectAsync(ct);
            Log.Info(engine.ToString());
        }

        return engine;
    }

    static IReadOnlyDictionary<string, string?> ParseEnvironment(string[] pairs, string parameter) =>
        pairs.Select(pair => pair.Split('=', 2) is [var name, var value] && name.Length > 0
                ? (name, value)
                : throw new BuildFailedException($"{parameter} takes NAME=VALUE pairs, not '{pair}'"))
            .ToDictionary(p => p.name, p => (string?)p.value);
}
