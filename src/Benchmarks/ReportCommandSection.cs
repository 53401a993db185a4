namespace PostgresReplication.Benchmarks;

/// <summary>The user's command section of the report: what a new process adds to the cycle, against the native pair.</summary>
internal static class ReportCommandSection
{
    private static string WallAgainstNativeCycle(CommandResult command) =>
        Statistics.Ratio(command.Wall.ContainerSummary.Median, command.Cycle.NativeSummary.Median) is { } ratio
            ? $"{MarkdownReport.Number(ratio, "0.00")}x"
            : "n/a";

    public static string Render(CommandResult? command, CycleResult cycle)
    {
        if (command is null)
        {
            return "";
        }

        var table = MarkdownReport.ComparisonTable()
            .Add("ready primary (s)", command.PrimaryReady, "0.00")
            .Add("**cycle: primary start to verified standbys (s)**", command.Cycle, "0.00")
            .Add("**wall time of the command / of the native run (s)**", command.Wall, "0.00");
        string Runs(string side) =>
            string.Join(", ", command.Runs.Where(r => r.Side == side).Select(r => MarkdownReport.Number(r.Wall.TotalSeconds, "0.00")));
        var figure1Primary = MarkdownReport.Number(cycle.Step(r => r.StartPrimary).ContainerSummary.Median, "0.00");
        var figure1Cycle = MarkdownReport.Number(cycle.Total.ContainerSummary.Median, "0.00");
        var warm = command.WarmPrimaryReadySummary;
        var repetitions = command.Runs.Count(r => r.Side == Sides.Container);
        return $"""

            ## 6. The user's command: `{command.Command}`, a new process each time

            What a user meets: the command as typed, started as a new process each time (one untimed run first), the
            image already built, {repetitions} rounds, each of the command and the native pair's cycle in alternating order, then one
            container cycle in the benchmark's own warm process. Container: the command's
            wall time from start to exit (starting .NET, BaseImage, BuildImage finding the image up to date, the cycle,
            Stop removing the containers, volumes and network), and the two times it reports itself: its primary
            accepting connections and its cycle ("primary start to verified standbys"). Native: the same cycle as in
            figure 1 (`initdb`, start, `pg_basebackup`, start, streaming, row), its wall time including stopping both
            servers and deleting their folders.

            {table}
            Wall time per run (s): container {Runs(Sides.Container)}; native {Runs(Sides.Native)}.

            Judged as the issue states it: the command's median wall time against the native pair's median cycle
            (not its wall time): {WallAgainstNativeCycle(command)}.

            The ready primary of the warm process's container cycles in the same rounds: median {MarkdownReport.Number(warm.Median, "0.00")} s
            (range {MarkdownReport.Number(warm.Min, "0.00")}-{MarkdownReport.Number(warm.Max, "0.00")} s); the new process is judged against it. In figure 1, minutes
            earlier: ready primary {figure1Primary} s, cycle {figure1Cycle} s.

            """;
    }
}
