using System.Globalization;
using System.Text.RegularExpressions;
using BuildRunner;

namespace PostgresReplication.Benchmarks;

/// <summary>What pgbench reported for one run: throughput, mean latency and transactions (parsed from its summary).</summary>
public sealed partial record PgbenchReport(double Tps, double LatencyAverageMs, long Transactions, long FailedTransactions)
{
    /// <summary>Reads pgbench's closing summary; throws when a figure is missing rather than reporting zero.</summary>
    public static PgbenchReport Parse(string output)
    {
        var tps = Number(TpsLine(), output, "tps");
        var latency = Number(LatencyLine(), output, "latency average");
        var transactions = (long)Number(ProcessedLine(), output, "number of transactions actually processed");
        var failed = FailedLine().Match(output) is { Success: true } m
            ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;
        return new PgbenchReport(tps, latency, transactions, failed);
    }

    private static double Number(Regex pattern, string output, string what) =>
        pattern.Match(output) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new BenchmarkException($"pgbench printed no '{what}' line: {HostProcess.LastLines(output, 6)}");

    [GeneratedRegex(@"^tps = ([0-9.]+) \(without initial connection time\)", RegexOptions.Multiline)]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"^latency average = ([0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"^number of transactions actually processed: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex ProcessedLine();

    [GeneratedRegex(@"^number of failed transactions: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex FailedLine();
}
