using System.Diagnostics;

namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// Waits for a real condition with a deadline; the timeout message says what was expected
/// and what the last look saw.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task UntilAsync(
        string expected, Func<CancellationToken, Task<(bool Done, string Seen)>> look, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var seen = "nothing yet";
        while (true)
        {
            (var done, seen) = await look(ct);
            if (done)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {expected}; last seen: {seen}");
            }

            await Task.Delay(Interval, ct);
        }
    }
}
