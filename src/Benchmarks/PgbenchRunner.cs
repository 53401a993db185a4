using System.Diagnostics;
using System.Globalization;

namespace PostgresReplication.Benchmarks;

/// <summary>The host's pgbench against a primary's loopback port: the same client and flags for both sides.</summary>
internal sealed class PgbenchRunner(string pgbench)
{
    /// <summary>Creates the pgbench tables with data generated on the server (fast, and the same on both sides); no vacuum.</summary>
    public async Task<TimeSpan> InitializeAsync(PgEndpoint primary, int scale, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await NativeCommand.RunAsync(
            pgbench, ["-i", "-q", "-s", Invariant(scale), "-I", "dtGp"], ct, environment: primary.LibpqEnvironment);
        return clock.Elapsed;
    }

    /// <summary>The TPC-B-like script at a fixed rate for a fixed time; fails if pgbench does or any transaction failed.</summary>
    public Task<PgbenchReport> RunAtRateAsync(PgEndpoint primary, int rate, int clients, TimeSpan duration, CancellationToken ct) =>
        RunAsync(primary, rate, clients, duration, ct);

    /// <summary>The TPC-B-like script as fast as the clients go, for a fixed time (the saturating load).</summary>
    public Task<PgbenchReport> RunUnthrottledAsync(PgEndpoint primary, int clients, TimeSpan duration, CancellationToken ct) =>
        RunAsync(primary, rate: null, clients, duration, ct);

    private async Task<PgbenchReport> RunAsync(PgEndpoint primary, int? rate, int clients, TimeSpan duration, CancellationToken ct)
    {
        var threads = Math.Min(clients, Environment.ProcessorCount);
        var output = await NativeCommand.RunAsync(
            pgbench,
            [
                "-n", "-c", Invariant(clients), "-j", Invariant(threads), "-T", Invariant((int)duration.TotalSeconds),
                .. rate is { } r ? ["-R", Invariant(r)] : Array.Empty<string>(),
            ],
            ct,
            environment: primary.LibpqEnvironment);
        var report = PgbenchReport.Parse(output);
        if (report.FailedTransactions > 0)
        {
            throw new BenchmarkException($"pgbench against {primary}: {report.FailedTransactions} transaction(s) failed.");
        }

        return report;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
