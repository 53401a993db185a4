namespace PostgresReplication.Benchmarks;

/// <summary>
/// What the scale run measures (issue 21, items 1-4). Sizes and durations are parameters so that a
/// tiny run (pgbench scale 5, 10 s) proves the code in minutes; the defaults are the issue's, which
/// want an idle machine and about an hour and a half (see <see cref="ScaleSuite"/>).
/// </summary>
public sealed record ScaleOptions
{
    /// <summary>pgbench scales of the bootstrap primaries; 68 per GB: 1, 2, 5 and 10 GB.</summary>
    public IReadOnlyList<int> BootstrapScales { get; init; } = [68, 136, 340, 680];

    /// <summary>How much WAL the primary writes while the standby is stopped, in MB.</summary>
    public int CatchUpWalMegabytes { get; init; } = 2048;

    /// <summary>Length of each saturating pgbench run.</summary>
    public TimeSpan SaturationDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Clients of the saturating runs (as many as a 2-core machine sustains: more only queue).</summary>
    public int SaturationClients { get; init; } = 8;

    /// <summary>Numbers of standbys of the fan-out runs.</summary>
    public IReadOnlyList<int> FanOutStandbys { get; init; } = [1, 2, 4, 8];

    /// <summary>The fan-out runs' fixed pgbench rate (-R), the same for every number of standbys.</summary>
    public int FanOutRate { get; init; } = 200;

    /// <summary>Length of each fan-out run.</summary>
    public TimeSpan FanOutDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>pgbench scale of the catch-up, saturation and fan-out primaries (small: the load, not the size, matters there).</summary>
    public int LoadScale { get; init; } = 10;

    /// <summary>Rounds of every figure, container and native alternating.</summary>
    public int Rounds { get; init; } = 3;

    internal void Validate()
    {
        Require(BootstrapScales.Count > 0 && BootstrapScales.All(s => s > 0), "ScaleBootstrapScales: one or more positive pgbench scales (68 is about 1 GB).");
        Require(CatchUpWalMegabytes > 0, $"ScaleCatchUpWalMegabytes {CatchUpWalMegabytes}: positive.");
        Require(SaturationDuration >= TimeSpan.FromSeconds(2), $"ScaleSaturationSeconds {SaturationDuration.TotalSeconds}: at least 2.");
        Require(SaturationClients > 0, $"ScaleSaturationClients {SaturationClients}: positive.");
        Require(FanOutStandbys.Count > 0 && FanOutStandbys.All(n => n is > 0 and <= 16), "ScaleFanOutStandbys: numbers of standbys from 1 to 16.");
        Require(FanOutRate > 0, $"ScaleFanOutRate {FanOutRate}: positive.");
        Require(FanOutDuration >= TimeSpan.FromSeconds(2), $"ScaleFanOutSeconds {FanOutDuration.TotalSeconds}: at least 2.");
        Require(LoadScale > 0, $"ScaleLoadScale {LoadScale}: positive.");
        Require(Rounds >= 1, $"ScaleRounds {Rounds}: at least 1.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Scale benchmark options: {message}");
        }
    }
}
