using BuildRunner.Internal;

namespace BuildRunner;

/// <summary>
/// What build code writes for the user. Goes to the running build's output (inside the
/// current target's group on GitHub Actions) with secrets masked.
/// </summary>
public static class Log
{
    public static void Info(string message) => BuildOutput.Current.Info(message);

    public static void Warn(string message) => BuildOutput.Current.Warn(message);

    public static void Error(string message) => BuildOutput.Current.Error(message);

    /// <summary>Shown only with <c>--verbose</c>.</summary>
    public static void Debug(string message) => BuildOutput.Current.Debug(message);
}
