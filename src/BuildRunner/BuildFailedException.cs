namespace BuildRunner;

/// <summary>
/// A failure the user can act on: the runner prints only its message, no type or stack trace.
/// </summary>
public sealed class BuildFailedException : Exception
{
    public BuildFailedException()
    {
    }

    public BuildFailedException(string message)
        : base(message)
    {
    }

    public BuildFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
