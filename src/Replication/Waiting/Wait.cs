using System.Diagnostics;
using Npgsql;

namespace PostgresReplication;

/// <summary>
/// Polls a real condition until it holds or a deadline passes. A probe that throws counts as
/// "not yet" (its error becomes what was last seen), except <see cref="WaitAbortedException"/> and a
/// value the client cannot convert (<see cref="InvalidCastException"/>): no later poll can fix the
/// caller's types, and polling on would only hide the bug until the deadline.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> UntilAsync<T>(
        string description, Func<CancellationToken, Task<Probe<T>>> probe, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        // Bounds each probe too: a connect that hangs must not outlive the deadline.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var lastSeen = "no probe has finished yet";
        while (true)
        {
            try
            {
                var result = await probe(deadline.Token);
                if (result.IsDone)
                {
                    return result.Value!;
                }

                lastSeen = result.Observed;
            }
            catch (Exception e) when (e is WaitAbortedException or InvalidCastException)
            {
                throw;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (!deadline.IsCancellationRequested || e is not OperationCanceledException)
            {
                lastSeen = Describe(e);
            }
            catch (OperationCanceledException)
            {
                // The deadline cut the probe short: keep what an earlier probe saw.
            }

            if (clock.Elapsed >= timeout || deadline.IsCancellationRequested)
            {
                ct.ThrowIfCancellationRequested();
                throw new WaitTimeoutException(description, timeout, lastSeen);
            }

            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Deadline reached during the pause: the loop's check above reports it.
            }
        }
    }

    /// <summary>For conditions without a value: done when the probe returns true.</summary>
    public static Task UntilAsync(
        string description, Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken ct) =>
        UntilAsync(
            description,
            async token => await condition(token) ? Probe<bool>.Done(true) : Probe<bool>.NotYet("condition false"),
            timeout,
            ct);

    /// <summary>One line for the timeout message: PostgreSQL's SQLSTATE and text, or the innermost cause.</summary>
    internal static string Describe(Exception e) => e switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        { InnerException: { } inner } when e is NpgsqlException or AggregateException
            => $"{e.Message} ({Describe(inner)})",
        _ => e.Message,
    };
}

/// <summary>A wait ran out of time; the message says what it waited for and what it last saw.</summary>
public sealed class WaitTimeoutException(string description, TimeSpan timeout, string lastSeen)
    : TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {description}; last seen: {lastSeen}")
{
    public string LastSeen { get; } = lastSeen;
}

/// <summary>
/// Thrown by a probe when waiting longer cannot help (the container exited): the wait stops at
/// once and passes it on instead of retrying until the deadline.
/// </summary>
public class WaitAbortedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A node's container stopped while something waited for it; carries its exit code and last log lines.</summary>
public sealed class ContainerExitedException(string node, long exitCode, IReadOnlyList<string> lastLogLines)
    : WaitAbortedException(Format(node, exitCode, lastLogLines))
{
    public string Node { get; } = node;

    public IReadOnlyList<string> LastLogLines { get; } = lastLogLines;

    private static string Format(string node, long exitCode, IReadOnlyList<string> lines)
    {
        var last = lines.Count > 0 ? lines[^1] : "(no log output)";
        var tail = lines.Count > 1 ? $"{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", lines)}" : "";
        return $"{node} exited with code {exitCode}: {last}{tail}";
    }
}

/// <summary>One look at a condition: either done (with a value) or not yet (with what was seen).</summary>
public readonly record struct Probe<T>(bool IsDone, T? Value, string Observed)
{
    public static Probe<T> Done(T value, string observed = "") => new(true, value, observed);

    public static Probe<T> NotYet(string observed) => new(false, default, observed);
}
