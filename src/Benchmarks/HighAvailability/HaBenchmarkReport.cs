using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>benchmarks-ha.md: the bars, the setup and load, the failover times per timing and kind beside Patroni's anchors, then every trial. Pure.</summary>
internal static class HaBenchmarkReport
{
    /// <summary>What issue 19 asks for: at least 10 trials, 10 minutes of pgbench.</summary>
    private const int FullTrials = 10;

    private static readonly TimeSpan FullPgbench = TimeSpan.FromMinutes(10);

    public static string Render(HaBenchmarkResults r)
    {
        var md = new StringBuilder();
        md.AppendLine("# High-availability failover");
        md.AppendLine();
        md.AppendLine(
            $"Patroni's automatic failover on the HA image, measured in one run of `./build.sh HaBenchmark` on {r.StartedAt:yyyy-MM-dd} " +
            $"({r.StartedAt:HH:mm} UTC, {r.Elapsed.TotalMinutes:0.0} min). Each timing gets its own cluster (three etcd members, three " +
            $"Patroni members, HAProxy; `SYNCHRONOUS_MODE={r.Setup.SynchronousMode}`), kept across its trials as a real one is: " +
            $"{r.Setup.TrialsPerLoss} trial(s) of each way of losing the leader, the kinds in turn.");
        md.AppendLine();
        if (r.Setup.TrialsPerLoss < FullTrials || r.Timings.Any(t => t.Watch.Duration < FullPgbench))
        {
            md.AppendLine(
                $"> A short run ({r.Setup.TrialsPerLoss} trial(s) per kind, pgbench {r.Timings.Min(t => t.Watch.Duration).TotalSeconds:0} s): it proves " +
                $"the measurement, not the figures. The report's run takes {FullTrials} trials and {FullPgbench.TotalMinutes:0} min of pgbench per timing.");
            md.AppendLine();
        }

        md.AppendLine(
            "The figure: from the moment the fault is issued to the first write acknowledged through HAProxy's read-write port, " +
            "detection included. A client inserts numbered rows through that port throughout, keeping its connection while it works " +
            "and opening a new one 100 ms after each error; the first write is the first row *sent after the old leader was gone* " +
            "(container exited, postmaster's process gone, container stopped) and acknowledged, so no commit of the old leader counts. " +
            "After each trial the old leader is started again (or, when only its PostgreSQL was killed, left to Patroni) and the next " +
            "trial waits until the cluster is whole: a leader and both other members streaming from it. At the end every acknowledged " +
            "row is looked for on the leader.");
        md.AppendLine();
        ReportParts.AppendBars(md, HaBars.Judge(r));
        md.AppendLine(
            "Patroni's defaults are the reference, not judged on the failover bars: their 30 s lease cannot meet a bar set on the " +
            $"store's minimum lease ({PatroniTiming.MinimumTtlSeconds} s, Patroni's minimum `ttl`).");
        md.AppendLine();
        md.Append(SetupSection(r));
        md.Append(FailoverSection(r));
        md.Append(FalseFailoverSection(r));
        md.Append(TrialsSection(r));
        return md.ToString();
    }

    /// <summary>The issue's hand measurements (Patroni 4.1.5, etcd 3.5.30, docker kill, libpq polled every 100 ms).</summary>
    internal static string Anchor(PatroniTiming timing, HaLoss loss) => (loss, timing.TtlSeconds) switch
    {
        (HaLoss.ContainerKilled, 30) => "28.3-30.1 s (ttl 30 / loop_wait 10 / retry_timeout 10)",
        (HaLoss.ContainerKilled, PatroniTiming.MinimumTtlSeconds) => "18.7-20.4 s (ttl raised to 20 / loop_wait 2 / retry_timeout 4)",
        _ => "",
    };

    private static string SetupSection(HaBenchmarkResults r)
    {
        var s = r.Setup;
        var table = new MarkdownTable(numeric: false, "setup", "")
            .Row("CPU", $"{s.Cores} cores")
            .Row("Docker Engine", s.EngineVersion)
            .Row("image", $"`{s.Image}`")
            .Row("PostgreSQL", s.PostgresVersion)
            .Row("Patroni", s.PatroniVersion)
            .Row("synchronous mode", s.SynchronousMode)
            .Row("load average (1, 5, 15 min) at start", r.LoadAverageAtStart)
            .Row("load average (1, 5, 15 min) at end", r.LoadAverageAtEnd);
        return $"## Setup and load\n\n{table}\nOther work on the machine shows as noise in every figure.\n\n";
    }

    private static string FailoverSection(HaBenchmarkResults r)
    {
        var table = new MarkdownTable(
            numeric: false, "timing", "leader lost by", "trials", "min", "median", "max", "Patroni by hand (issue 19)");
        foreach (var t in r.Timings)
        {
            foreach (var loss in Enum.GetValues<HaLoss>())
            {
                if (t.FirstWrite(loss) is { } s)
                {
                    table.Row(
                        $"{t.Timing.Name}: {t.Timing}", HaLossTrial.Describe(loss), $"{s.Count}",
                        HaBars.S(s.Min), HaBars.S(s.Median), HaBars.S(s.Max), Anchor(t.Timing, loss));
                }
            }
        }

        return $"""
            ## Kill to the first write through HAProxy

            Container killed: `docker kill` (SIGKILL) of the leader's container, as a lost host; nothing hands over, the leader key
            must expire in etcd. PostgreSQL alone killed: SIGKILL from the host to the leader's postmaster (found below the
            container's first process before the clock starts); Patroni lives on and restarts it or hands over. Clean stop:
            `docker stop`; Patroni stops PostgreSQL and releases the key at once. The last column is the issue's hand measurement
            (a container killed, libpq `target_session_attrs=read-write` on the survivors), the reference for ours.

            {table}

            """;
    }

    private static string FalseFailoverSection(HaBenchmarkResults r)
    {
        var table = new MarkdownTable(
            numeric: false, "timing", "pgbench", "leader changes seen", "timeline before → after", "two writable members", "rows acknowledged", "lost");
        foreach (var t in r.Timings)
        {
            var w = t.Watch;
            var pgbench = w.Pgbench is { } p
                ? $"{w.Duration.TotalSeconds:0} s, {w.Clients} clients, {MarkdownReport.Number(p.Tps, "0")} tps"
                : $"failed: {w.PgbenchError?.ReplaceLineEndings(" ").Replace('|', '/')}";
            table.Row(
                $"{t.Timing.Name}: {t.Timing}", pgbench, $"{w.LeaderChanges}", $"{w.TimelineBefore} → {w.TimelineAfter}",
                $"{w.SplitBrainMoments}", $"{t.Writes.Acknowledged.Count}", $"{t.Rows.MissingAcknowledged.Count}");
        }

        return $"""
            ## False failovers under load, and rows

            After the trials, on the same cluster: `pgbench -i` then unthrottled `pgbench` through HAProxy's read-write port with no
            fault injected, while each member is asked directly every 100 ms whether it accepts writes (a leader change is the one
            writable member becoming another) and the leader's timeline is read before and after (every promotion adds one). The
            rows: every row the client had acknowledged during the whole run, trials and pgbench, looked for on the leader at the end.

            {table}

            """;
    }

    private static string TrialsSection(HaBenchmarkResults r)
    {
        var table = new MarkdownTable(
            numeric: false, "timing", "trial", "leader lost by", "old leader → new", "gone", "first write", "whole again");
        foreach (var t in r.Timings)
        {
            foreach (var trial in t.Trials)
            {
                table.Row(
                    t.Timing.Name, $"{trial.Number}", HaLossTrial.Describe(trial.Loss), $"{trial.OldLeader} → {trial.NewLeader}",
                    HaBars.S(trial.GoneSeconds), HaBars.S(trial.FirstWriteSeconds), HaBars.S(trial.WholeSeconds));
            }
        }

        return $"""
            ## Every trial

            Seconds from the fault's start: when it had taken effect, the first write through HAProxy, the cluster whole again.

            {table}
            """;
    }
}
