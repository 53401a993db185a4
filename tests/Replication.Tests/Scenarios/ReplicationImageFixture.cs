using System.Collections.Concurrent;
using System.Globalization;
using BuildRunner;
using PostgresReplication;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Replication.Tests.Scenarios;

/// <summary>
/// Builds the replication image once per test run for PG_TEST_VERSION (default PostgresVersions.Default) on the base
/// postgres-replication-base:{version}, and hands scenarios a cluster that is always disposed
/// and whose container logs are printed when the scenario fails.
/// </summary>
public sealed class ReplicationImageFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);
    private readonly ConcurrentBag<RunId> _runs = [];
    private DockerEngine? _engine;
    private ImageLayout? _layout;

    public int PgVersion { get; } = PgVersionFromEnvironment();

    /// <summary>
    /// Tagged with a hash of docker/, so two checkouts of the repository (worktrees, parallel runs)
    /// never run each other's image under one tag.
    /// </summary>
    public string Image { get; } = $"postgres-replication:{PgVersionFromEnvironment()}-test-{DockerDirectoryHash()}";

    public DockerEngine Engine => _engine ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Where the test image keeps its data: PGDATA and the VOLUME that holds it (they differ on 18).</summary>
    public ImageLayout Layout => _layout ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(BuildTimeout);
        _engine = await DockerEngine.ConnectAsync(timeout.Token);
        Say(_engine.ToString());

        // The base the pipeline would take (BASE_IMAGE, else postgres:N present or pulled, else the
        // offline one, unless NO_PULL), so a machine that can pull tests what users pull.
        var workDirectory = Path.Combine(Path.GetTempPath(), $"postgres-replication-base-{PgVersion}");
        var requested = Environment.GetEnvironmentVariable("BASE_IMAGE") is { Length: > 0 } named ? named : null;
        var allowPull = !string.Equals(Environment.GetEnvironmentVariable("NO_PULL"), "true", StringComparison.OrdinalIgnoreCase);
        BaseImage baseImage;
        try
        {
            baseImage = await new BaseImageProvider(_engine, RepositoryRoot.Combine("docker"), workDirectory, Say)
                .ProvideAsync(PgVersion, requested, allowPull, timeout.Token);
        }
        catch (InvalidOperationException e)
        {
            // Neither a usable base nor a way to build one (the offline base needs root): say so in one line.
            throw new InvalidOperationException(
                $"No base image for PostgreSQL {PgVersion}: {e.Message.ReplaceLineEndings(" ")}. " +
                $"Pull one (docker pull {BaseImageProvider.DefaultBaseImage(PgVersion)}), set BASE_IMAGE, or run once as root to build the offline base.");
        }

        Say($"base image {baseImage}");

        var request = new ImageBuildRequest(RepositoryRoot.Combine("docker"), [Image])
        {
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage.Name },
            ExcludedDirectories = ["ha"],
        };
        await new ImageBuilder(_engine).BuildUnlessUpToDateAsync(request, Say, timeout.Token);
        _layout = await new ImageInspector(_engine).LayoutAsync(Image, timeout.Token);
    }

    /// <summary>Fresh options (own run id, random passwords) for one cluster on the test image.</summary>
    public ClusterOptions NewClusterOptions()
    {
        var options = new ClusterOptions { Image = Image };
        _runs.Add(options.RunId);
        return options;
    }

    /// <summary>A run id for resources made outside a cluster (compose); swept at the end like a cluster's.</summary>
    public RunId NewRunId()
    {
        var run = RunId.New();
        _runs.Add(run);
        return run;
    }

    /// <summary>
    /// Runs a scenario on a new cluster: disposed whatever happens; on failure the last lines of each
    /// container go to the test output before the exception propagates.
    /// </summary>
    public Task RunClusterAsync(
        ITestOutputHelper output, Func<ReplicationCluster, CancellationToken, Task> scenario, TimeSpan? timeout = null) =>
        RunClusterAsync(output, options => options, scenario, timeout);

    /// <summary>As above, with the cluster's options changed first (e.g. extra environment for one node).</summary>
    public async Task RunClusterAsync(
        ITestOutputHelper output,
        Func<ClusterOptions, ClusterOptions> configure,
        Func<ReplicationCluster, CancellationToken, Task> scenario,
        TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        var fresh = NewClusterOptions();
        var options = configure(fresh);
        if (options.RunId != fresh.RunId)
        {
            _runs.Add(options.RunId);
        }

        // Each cluster log line carries the scenario's elapsed time, so a slow step shows in the output.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await ReplicationCluster.CreateAsync(
            Engine, options, line => output.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0.0} s] {line}"), deadline.Token);
        try
        {
            await scenario(cluster, deadline.Token);
        }
        catch
        {
            output.WriteLine(await cluster.DumpLogsAsync(50, CancellationToken.None));
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_engine is null)
        {
            return;
        }

        // A safety net for clusters a scenario created outside RunClusterAsync and never disposed.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        foreach (var run in _runs)
        {
            var report = await Janitor.SweepAsync(_engine, run, timeout.Token);
            if (report.Total > 0)
            {
                Say($"run {run}: {report}");
            }
        }

        _engine.Dispose();
    }

    private static int PgVersionFromEnvironment() =>
        Environment.GetEnvironmentVariable("PG_TEST_VERSION") is { Length: > 0 } v
            ? int.Parse(v, CultureInfo.InvariantCulture)
            : PostgresVersions.Default;

    private static string DockerDirectoryHash()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var root = RepositoryRoot.Combine("docker");
        foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }

    private void Say(string line) => diagnostics.OnMessage(new DiagnosticMessage(line));
}
