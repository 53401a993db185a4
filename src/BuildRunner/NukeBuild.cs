using BuildRunner.Internal;

namespace BuildRunner;

/// <summary>
/// Base class of a build: <c>sealed partial class Build : NukeBuild</c> with a
/// <c>Main(string[] args) => Execute&lt;Build&gt;(args)</c> entry point.
/// </summary>
public abstract class NukeBuild
{
    private string? rootDirectory;
    private IReadOnlySet<string> scheduledTargets = new HashSet<string>();
    private IReadOnlySet<string> givenParameters = new HashSet<string>();

    /// <summary>The repository root: the nearest folder at or above the working directory holding <c>.nuke/</c>.</summary>
    protected string RootDirectory =>
        rootDirectory ?? throw new InvalidOperationException("RootDirectory is known once the build has started.");

    /// <summary>
    /// Runs the targets named on the command line, or <paramref name="defaultTarget"/> when none is
    /// named. Ctrl-C or SIGTERM cancels the running target and still runs the assured ones; a
    /// second Ctrl-C kills the process.
    /// </summary>
    /// <returns>The process exit code: 0 when every planned target succeeded or was skipped.</returns>
    protected static async Task<int> Execute<T>(string[] args, Func<T, Target>? defaultTarget = null)
        where T : NukeBuild, new()
    {
        using var signals = new CancellationSignals();
        return await BuildHost.RunAsync(new T(), defaultTarget, args, HostSettings.FromConsole(), signals.Token);
    }

    /// <summary>
    /// Whether the run will execute the target named <paramref name="targetName"/>, so an earlier
    /// target can start work a later one will need (e.g. containers that take a while to start).
    /// </summary>
    protected bool IsScheduled(string targetName) => scheduledTargets.Contains(targetName);

    /// <summary>
    /// Whether the user chose the parameter declared as <paramref name="memberName"/> (use <c>nameof</c>):
    /// on the command line or in the environment, not in <c>.nuke/parameters.json</c>, which holds the
    /// repository's defaults. A target can so tell a user's choice from a default.
    /// </summary>
    protected bool IsGiven(string memberName) => givenParameters.Contains(memberName);

    internal void UseGivenParameters(IReadOnlySet<string> memberNames) => givenParameters = memberNames;

    internal void UseRootDirectory(string path) => rootDirectory = path;

    internal void UseScheduledTargets(IEnumerable<string> names) =>
        scheduledTargets = names.ToHashSet(StringComparer.OrdinalIgnoreCase);
}
