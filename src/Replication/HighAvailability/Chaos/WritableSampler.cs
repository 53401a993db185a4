using System.Diagnostics;
using Npgsql;

namespace PostgresReplication;

/// <summary>
/// Every 100 ms asks each member directly, all at the same moment, whether it accepts writes, and
/// records the round in a <see cref="WritableTally"/>. Accepting a write means acknowledging a
/// commit made with the server's defaults: out of recovery, and, when synchronous_standby_names is
/// set, with a synchronous standby attached. A leader that resumes after a pause is out of recovery
/// for about a second before Patroni demotes it (no watchdog in a container), but in synchronous
/// mode it has no synchronous standby left and acknowledges nothing; that is what this counts.
/// A member that does not answer within the round (killed, paused, restarting) counts as not
/// writable for that round: it cannot commit for a client either.
/// </summary>
public sealed class WritableSampler(IReadOnlyList<ObservedMember> members, WritableTally tally, Stopwatch clock, Action<string> log)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a round waits for answers; a later answer belongs to no round.</summary>
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromMilliseconds(300);

    public async Task RunAsync(CancellationToken stop)
    {
        var probes = members.Select(m => new MemberProbe(m)).ToList();
        using var timer = new PeriodicTimer(Interval);
        var splitBefore = false;
        try
        {
            do
            {
                var at = clock.Elapsed;
                var asked = probes.Select(p => (p.Member.Name, Answer: p.Ask(stop))).ToList();
                var answered = Task.WhenAll(asked.Select(a => a.Answer));
                await answered.WaitAsync(AnswerWithin, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                var writable = asked.Where(a => a.Answer.IsCompletedSuccessfully && a.Answer.Result == true).Select(a => a.Name).ToList();
                var unanswered = asked.Count(a => !a.Answer.IsCompletedSuccessfully || a.Answer.Result is null);
                tally.Round(at, writable, unanswered);
                // Once per streak, so the moment sits between the faults' lines in the log.
                if (writable.Count > 1 && !splitBefore)
                {
                    log($"sampler: {string.Join(" and ", writable)} accept writes at once at {at.TotalSeconds:0.0} s");
                }

                splitBefore = writable.Count > 1;
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(probes.Select(p => p.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// One member's kept connection. A question still pending from an earlier round (a paused
    /// member) is not asked again: that round's answer is "none".
    /// </summary>
    private sealed class MemberProbe(ObservedMember member) : IAsyncDisposable
    {
        /// <summary>A question unanswered this long is given up, so a lost connection is replaced by a new one.</summary>
        private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(5);

        private const string AcceptsWrites = """
            SELECT NOT pg_is_in_recovery()
              AND (current_setting('synchronous_standby_names') = ''
                OR EXISTS (SELECT 1 FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')))
            """;

        private NpgsqlConnection? _connection;
        private Task<bool?> _pending = Task.FromResult<bool?>(null);

        public ObservedMember Member => member;

        public Task<bool?> Ask(CancellationToken stop)
        {
            if (_pending.IsCompleted)
            {
                _pending = AskAsync(stop);
            }
            else
            {
                return Task.FromResult<bool?>(null);
            }

            return _pending;
        }

        public async ValueTask DisposeAsync()
        {
            await _pending.ContinueWith(_ => { }, TaskScheduler.Default);
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }

        /// <summary>True or false when the member answered, null when it did not (the connection is then dropped).</summary>
        private async Task<bool?> AskAsync(CancellationToken stop)
        {
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(stop);
            giveUp.CancelAfter(GiveUpAfter);
            try
            {
                _connection ??= await (member.Endpoint() with { ApplicationName = "chaos-sampler", ConnectTimeoutSeconds = 2 }).OpenAsync(giveUp.Token);
                return await PgEndpoint.ScalarAsync<bool>(_connection, AcceptsWrites, giveUp.Token);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                    _connection = null;
                }

                return null;
            }
        }
    }
}

/// <summary>
/// A member as the sampler reaches it: directly, not through HAProxy, on a network no fault cuts.
/// The endpoint is read at each new connection: a container started again may have a new address.
/// </summary>
public sealed record ObservedMember(string Name, Func<PgEndpoint> Endpoint);
