namespace PostgresReplication.Benchmarks;

/// <summary>The two columns of every figure, and the order they run in: alternated per repetition so load drift hits both alike.</summary>
public static class Sides
{
    public const string Container = "container";
    public const string Native = "native";

    /// <summary>The container reached at its bridge address instead of its published port: an explanation column, never judged.</summary>
    public const string ContainerOnBridge = "container, bridge address";

    /// <summary>Even repetitions run the container first, odd ones the native pair first.</summary>
    public static IReadOnlyList<string> InOrder(int repetition) =>
        repetition % 2 == 0 ? [Container, Native] : [Native, Container];
}
