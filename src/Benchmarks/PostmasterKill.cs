using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The failover's kill, the same on both sides: SIGKILL from the host to the postmaster's host PID
/// (the native server's process, or the container's postmaster found from the engine's State.Pid),
/// then the same check that it is gone: its /proc entry has disappeared or is a zombie. A Docker API
/// kill plus the wait for the engine's exit event counted 0.17 s against 0.01 s natively before.
/// </summary>
internal static class PostmasterKill
{
    private static readonly TimeSpan GoneTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>Sends SIGKILL to <paramref name="hostPid"/>; returns once the process is gone.</summary>
    public static async Task KillAsync(int hostPid, string description, CancellationToken ct)
    {
        using (var process = Process.GetProcessById(hostPid))
        {
            // Process.Kill is kill(pid, SIGKILL); it does not wait.
            process.Kill(entireProcessTree: false);
        }

        var deadline = Stopwatch.StartNew();
        while (!IsGone(ProcessTree.State(hostPid)))
        {
            if (deadline.Elapsed > GoneTimeout)
            {
                throw new BenchmarkException($"{description} (pid {hostPid}) still runs {GoneTimeout.TotalSeconds:0} s after SIGKILL.");
            }

            await Task.Delay(PollInterval, ct);
        }
    }

    /// <summary>
    /// The host PID of a container's postmaster: the first postgres process at or below the engine's
    /// State.Pid (the container's first process), breadth first.
    /// </summary>
    public static async Task<int> OfContainerAsync(DockerEngine engine, string containerId, string name, CancellationToken ct)
    {
        var inspected = await engine.Client.Containers.InspectContainerAsync(containerId, ct);
        var root = (int)(inspected.State?.Pid ?? 0);
        return (root > 0 ? ProcessTree.FindAtOrBelow(root, "postgres") : null)
            ?? throw new BenchmarkException(
                $"No postgres process below the container {name}'s PID {root}: the benchmark must run on the engine's host.");
    }

    /// <summary>Gone: no /proc entry any more, or a zombie (dead, waiting for its parent to reap it).</summary>
    public static bool IsGone(char? state) => state is null or 'Z' or 'X';
}

/// <summary>The host's process table as /proc shows it: a process's state, parent and command name.</summary>
internal static class ProcessTree
{
    /// <summary>
    /// One line of /proc/PID/stat: "PID (COMM) STATE PPID ..."; COMM may hold spaces and parentheses.
    /// CpuTicks is utime + stime (fields 14 and 15), in clock ticks.
    /// </summary>
    public sealed record Stat(int Pid, string Command, char State, int ParentPid, long CpuTicks = 0);

    /// <summary>Clock ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux this runs on.</summary>
    public const double TicksPerSecond = 100;

    public static Stat? Parse(string statLine)
    {
        var open = statLine.IndexOf('(', StringComparison.Ordinal);
        var close = statLine.LastIndexOf(')');
        if (open < 0 || close < open || !int.TryParse(statLine.AsSpan(0, open).Trim(), out var pid))
        {
            return null;
        }

        var rest = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest is not [var state, var parent, ..] || state.Length != 1 || !int.TryParse(parent, out var ppid))
        {
            return null;
        }

        // Fields 14 and 15 of the line are rest[11] and rest[12]: rest starts at field 3.
        var ticks = rest.Length > 12 && long.TryParse(rest[11], out var user) && long.TryParse(rest[12], out var system) ? user + system : 0;
        return new Stat(pid, statLine[(open + 1)..close], state[0], ppid, ticks);
    }

    /// <summary>The process's state letter, or null when it no longer exists.</summary>
    public static char? State(int pid) => Read(pid)?.State;

    /// <summary>
    /// The first process named <paramref name="command"/> at or below <paramref name="rootPid"/>,
    /// breadth first, so an ancestor comes before its children (the postmaster before its backends).
    /// </summary>
    public static int? FindAtOrBelow(int rootPid, string command) => FindAtOrBelow(All(), rootPid, command);

    /// <summary>Every process of the host now.</summary>
    public static IReadOnlyList<Stat> All() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Read(pid) : null)
            .OfType<Stat>()];

    /// <summary>A process's title as ps shows it (PostgreSQL sets "postgres: walsender ..."), or null when it has gone.</summary>
    public static string? Title(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static int? FindAtOrBelow(IReadOnlyList<Stat> all, int rootPid, string command)
    {
        var queue = new Queue<int>([rootPid]);
        while (queue.TryDequeue(out var pid))
        {
            if (all.FirstOrDefault(s => s.Pid == pid) is { } stat && stat.Command == command)
            {
                return pid;
            }

            foreach (var child in all.Where(s => s.ParentPid == pid))
            {
                queue.Enqueue(child.Pid);
            }
        }

        return null;
    }

    private static Stat? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
