using System.Runtime.InteropServices;

namespace BuildRunner.Internal;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into a cancelled token, so the running target stops and
/// the assured cleanup still runs. A second signal is left to the runtime, which kills the
/// process: the way out when a cleanup hangs.
/// </summary>
internal sealed class CancellationSignals : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration? terminate;
    private int received;

    public CancellationSignals()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
        }
        catch (PlatformNotSupportedException)
        {
            // Ctrl-C still works; only `docker stop`-style termination is not graceful here.
        }
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        terminate?.Dispose();
        source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = TryCancel("Ctrl-C");

    private void OnTerminate(PosixSignalContext context) => context.Cancel = TryCancel("SIGTERM");

    private bool TryCancel(string signal)
    {
        if (Interlocked.Increment(ref received) > 1)
        {
            return false;
        }

        Log.Warn($"{signal}: cancelling the running target; assured targets still run. Press Ctrl-C again to kill.");
        try
        {
            source.Cancel();
        }
        catch (AggregateException exception)
        {
            // A throwing cancellation callback must not take the signal thread, and the cleanup, down with it.
            Log.Warn($"While cancelling: {exception.InnerException?.Message ?? exception.Message}");
        }

        return true;
    }
}
