namespace PostgresReplication;

/// <summary>
/// What the chaos writer did: every sequence number it sent (attempted) and every one the server
/// acknowledged as committed, and the longest time between two acknowledgements, which is the
/// longest time clients had no writable leader. Thread-safe: the writer records, the run reads.
/// Times are the run's elapsed time, passed in, so the ledger is plain arithmetic.
/// </summary>
public sealed class WriteLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, TimeSpan> _acknowledged = [];
    private long _lastAttempted;
    private int _failures;
    private TimeSpan _lastAcknowledgedAt;
    private WriteGap _longestGap = new(TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Sequence numbers are sent in order from 1, each once.</summary>
    public void Attempted(long sequence)
    {
        lock (_lock)
        {
            if (sequence != _lastAttempted + 1)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), $"attempt {sequence} after {_lastAttempted}: sequence numbers go up by one");
            }

            _lastAttempted = sequence;
        }
    }

    public void Acknowledged(long sequence, TimeSpan at)
    {
        lock (_lock)
        {
            if (sequence < 1 || sequence > _lastAttempted)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), $"{sequence} was never attempted");
            }

            _acknowledged[sequence] = at;
            Observe(at);
        }
    }

    /// <summary>A failed connect or statement; the writer retries on a new connection.</summary>
    public void Failed()
    {
        lock (_lock)
        {
            _failures++;
        }
    }

    /// <summary>Closes the last gap at the end of the run, so a run ending without a leader shows it.</summary>
    public void Close(TimeSpan at)
    {
        lock (_lock)
        {
            Observe(at);
        }
    }

    /// <summary>The highest sequence number sent so far: every later one is sent after this call.</summary>
    public long LastAttempted
    {
        get
        {
            lock (_lock)
            {
                return _lastAttempted;
            }
        }
    }

    /// <summary>
    /// The first acknowledgement of a row sent after <paramref name="sequence"/> (the lowest such
    /// sequence number acknowledged), with its time; null while there is none. A failover benchmark
    /// reads <see cref="LastAttempted"/> once the old leader is gone, so a row after it can only
    /// have been committed by a server alive after the fault.
    /// </summary>
    public (long Sequence, TimeSpan At)? FirstAcknowledgedAfter(long sequence)
    {
        lock (_lock)
        {
            var first = _acknowledged.Where(a => a.Key > sequence).OrderBy(a => a.Key).Take(1).ToList();
            return first is [var (row, at)] ? (row, at) : null;
        }
    }

    public WriteTally Tally()
    {
        lock (_lock)
        {
            return new WriteTally(_lastAttempted, [.. _acknowledged.Keys.Order()], _failures, _longestGap);
        }
    }

    private void Observe(TimeSpan at)
    {
        if (at - _lastAcknowledgedAt > _longestGap.Length)
        {
            _longestGap = new WriteGap(_lastAcknowledgedAt, at - _lastAcknowledgedAt);
        }

        _lastAcknowledgedAt = at;
    }
}

/// <summary>The longest stretch without an acknowledged write: when it started and how long it lasted.</summary>
public sealed record WriteGap(TimeSpan From, TimeSpan Length);

/// <summary>A copy of the ledger at one moment. Attempted are 1..<paramref name="LastAttempted"/>.</summary>
public sealed record WriteTally(long LastAttempted, IReadOnlyList<long> Acknowledged, int Failures, WriteGap LongestGap);
