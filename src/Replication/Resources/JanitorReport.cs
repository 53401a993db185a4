namespace PostgresReplication;

/// <summary>How many resources a sweep removed; its text is the log line.</summary>
public sealed record JanitorReport(int Containers, int Networks, int Volumes)
{
    public int Total => Containers + Networks + Volumes;

    public override string ToString() =>
        $"removed {Containers} container(s), {Networks} network(s), {Volumes} volume(s)";
}
