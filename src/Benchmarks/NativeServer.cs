using System.Diagnostics;
using System.Globalization;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// One host PostgreSQL server, run as the postgres OS user on 127.0.0.1 only, its socket in its own
/// folder. Its log is kept in memory (last lines) so a failure can say what the server said.
/// </summary>
internal sealed class NativeServer : IProbeTarget, IAsyncDisposable
{
    private const int KeptLogLines = 30;
    private readonly Queue<string> _log = new();
    private readonly Process _process;

    private NativeServer(string name, string dataDirectory, PgEndpoint endpoint, Process process)
    {
        Name = name;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
        _process = process;
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
    }

    public string Name { get; }

    public string DataDirectory { get; }

    public PgEndpoint Endpoint { get; }

    public TimeSpan WaitTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>In wait messages, told apart from the container of the same name.</summary>
    string IProbeTarget.Name => $"native {Name}";

    /// <summary>Starts postgres on an initialised (or cloned) data directory; returns at once, not yet accepting connections.</summary>
    public static NativeServer Start(NativeBinaries binaries, string name, string dataDirectory, PgEndpoint endpoint, string socketDirectory)
    {
        string[] arguments =
        [
            "-D", dataDirectory,
            "-c", $"port={endpoint.Port}",
            "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={socketDirectory}",
        ];
        var process = new Process
        {
            StartInfo = HostProcess.StartInfo(binaries.Postgres, arguments, asPostgres: true, environment: null, socketDirectory),
        };
        process.StartInfo.RedirectStandardOutput = true;
        process.StartInfo.RedirectStandardError = true;
        process.Start();
        var server = new NativeServer(name, dataDirectory, endpoint, process);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return server;
    }

    /// <summary>Throws when the server has stopped by itself, with its last log lines.</summary>
    public Task ThrowIfExitedAsync(CancellationToken ct)
    {
        ThrowIfExited();
        return Task.CompletedTask;
    }

    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new WaitAbortedException(
                $"native {Name} exited with code {_process.ExitCode}: {string.Join(" | ", LastLogLines())}");
        }
    }

    public IReadOnlyList<string> LastLogLines()
    {
        lock (_log)
        {
            return [.. _log];
        }
    }

    /// <summary>
    /// Immediate shutdown (SIGQUIT: the data is thrown away next, and the postmaster still releases its
    /// shared memory), waited for; killed with its children if it outlives the grace period. Safe to call twice.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await HostProcess.RunAsync("kill", ["-QUIT", _process.Id.ToString(CultureInfo.InvariantCulture)], grace.Token);
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (Exception e) when (e is BenchmarkException or OperationCanceledException)
            {
                HostProcess.KillQuietly(_process);
            }
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > KeptLogLines)
            {
                _log.Dequeue();
            }
        }
    }
}
