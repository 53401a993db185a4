namespace PostgresReplication;

/// <summary>
/// What the sampler saw, one round at a time: which members accepted writes at one moment. Counts
/// the rounds in which two or more did (split brain, must be none) and the leader changes, seen from
/// outside as the one writable member becoming another. Thread-safe: the sampler records, the run reads.
/// </summary>
public sealed class WritableTally
{
    private readonly Lock _lock = new();
    private readonly List<SplitBrainMoment> _splitBrain = [];
    private int _rounds;
    private int _unanswered;
    private int _failovers;
    private string? _leader;

    /// <param name="at">The run's elapsed time at the start of the round.</param>
    /// <param name="writable">The members that answered "not in recovery".</param>
    /// <param name="unanswered">How many members gave no answer in time (stopped, paused, restarting).</param>
    public void Round(TimeSpan at, IReadOnlyCollection<string> writable, int unanswered)
    {
        lock (_lock)
        {
            _rounds++;
            _unanswered += unanswered;
            if (writable.Count > 1)
            {
                _splitBrain.Add(new SplitBrainMoment(at, [.. writable.Order(StringComparer.Ordinal)]));
            }
            else if (writable.Count == 1 && writable.First() is var leader && leader != _leader)
            {
                // The first leader seen is where the run starts, not a failover.
                if (_leader is not null)
                {
                    _failovers++;
                }

                _leader = leader;
            }
        }
    }

    public SampleSummary Summary()
    {
        lock (_lock)
        {
            return new SampleSummary(_rounds, _unanswered, [.. _splitBrain], _failovers, _leader);
        }
    }
}

/// <summary>A round in which more than one member accepted writes.</summary>
public sealed record SplitBrainMoment(TimeSpan At, IReadOnlyList<string> Writable)
{
    public override string ToString() => $"{At.TotalSeconds:0.0} s: {string.Join(" and ", Writable)}";
}

/// <param name="LastLeader">The member last seen as the only writable one.</param>
public sealed record SampleSummary(int Rounds, int Unanswered, IReadOnlyList<SplitBrainMoment> SplitBrain, int Failovers, string? LastLeader);
