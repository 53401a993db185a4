namespace PostgresReplication;

/// <summary>One look at a condition: either done (with a value) or not yet (with what was seen).</summary>
public readonly record struct Probe<T>(bool IsDone, T? Value, string Observed)
{
    public static Probe<T> Done(T value, string observed = "") => new(true, value, observed);

    public static Probe<T> NotYet(string observed) => new(false, default, observed);
}
