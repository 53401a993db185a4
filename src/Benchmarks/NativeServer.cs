using System.Diagnostics;
using System.Globalization;
using BuildRunner;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// One host PostgreSQL server, run as the postgres OS user on 127.0.0.1 only, its socket in its own
/// folder. Its log is kept in memory (last lines) so a failure can say what the server said.
/// </summary>
internal sealed class NativeServer : IProbedServer, IAsyncDisposable
{
    private const int KeptLogLines = 30;
    private readonly Queue<string> _log = new();
    private Process _process = null!;

    private NativeServer(string name, string dataDirectory, PgEndpoint endpoint)
    {
        Name = name;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
    }

    public string Name { get; }

    public string DataDirectory { get; }

    public PgEndpoint Endpoint { get; }

    public TimeSpan WaitTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>In wait messages, told apart from the container of the same name.</summary>
    string IProbedServer.Name => $"native {Name}";

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
        var (program, all) = NativeCommand.AsPostgres(binaries.Postgres, arguments);
        var server = new NativeServer(name, dataDirectory, endpoint);
        server._process = HostProcess.Start(program, all, server.Keep, workingDirectory: socketDirectory);
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

    /// <summary>Fast shutdown (SIGINT), as the image's stop signal; returns once the postmaster has exited.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (!_process.HasExited)
        {
            await NativeCommand.RunAsync("kill", ["-INT", ProcessId.ToString(CultureInfo.InvariantCulture)], ct);
            await _process.WaitForExitAsync(ct);
        }
    }

    /// <summary>The postmaster's PID (setpriv execs it, so it is the process started here).</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// After its postmaster was killed: waits until no process runs in its data directory any more
    /// (every PostgreSQL process works there). Until the last child has gone, the data directory's
    /// shared memory counts as in use and nothing, not even pg_rewind's recovery, may start on it.
    /// </summary>
    public Task WaitUntilChildrenExitedAsync(CancellationToken ct) =>
        Wait.UntilAsync(
            $"the processes of native {Name} to exit after its postmaster",
            _ => Task.FromResult(ProcessesWorkingIn(DataDirectory) is { Count: > 0 } left
                ? Probe<bool>.NotYet($"still running: pid {string.Join(", ", left)}")
                : Probe<bool>.Done(true)),
            WaitTimeout,
            ct);

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
                await NativeCommand.RunAsync("kill", ["-QUIT", _process.Id.ToString(CultureInfo.InvariantCulture)], grace.Token);
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (Exception e) when (e is BenchmarkException or OperationCanceledException)
            {
                HostProcess.KillQuietly(_process);
            }
        }

        _process.Dispose();
    }

    private static List<int> ProcessesWorkingIn(string directory)
    {
        var wanted = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (new DirectoryInfo(Path.Combine(entry, "cwd")).LinkTarget == wanted)
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while the list was read.
            }
        }

        return found;
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
