using BuildRunner.Internal;

namespace BuildRunner.Tests.Support;

/// <summary>
/// Runs a hand-made build class the way <c>Execute&lt;T&gt;</c> would, but inside a throw-away
/// repository root, with a fake environment and the output captured.
/// </summary>
internal sealed class BuildHarness : IDisposable
{
    private readonly StringWriter output = new();

    public BuildHarness()
    {
        Root = Directory.CreateTempSubdirectory("buildrunner-tests-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
    }

    public string Root { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string Output => output.ToString();

    public void WriteParameters(string json) => File.WriteAllText(Path.Combine(Root, ".nuke", "parameters.json"), json);

    public Task<int> RunAsync<T>(T build, params string[] args)
        where T : NukeBuild =>
        RunAsync(build, defaultTarget: null, CancellationToken.None, args);

    public Task<int> RunAsync<T>(T build, Func<T, Target>? defaultTarget, CancellationToken cancellation, params string[] args)
        where T : NukeBuild =>
        BuildHost.RunAsync(build, defaultTarget, args, Settings(), cancellation);

    public void Dispose()
    {
        output.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private HostSettings Settings() =>
        new(Root, name => Environment.GetValueOrDefault(name), output, Rich: false);
}
