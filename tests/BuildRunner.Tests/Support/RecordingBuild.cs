namespace BuildRunner.Tests.Support;

/// <summary>A build base that remembers which targets ran, in order.</summary>
internal abstract class RecordingBuild : NukeBuild
{
    public List<string> Ran { get; } = [];

    public string Root => RootDirectory;

    protected Action Record(string target) => () =>
    {
        lock (Ran)
        {
            Ran.Add(target);
        }
    };
}
