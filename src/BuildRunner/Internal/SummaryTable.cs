using System.Globalization;
using Spectre.Console;

namespace BuildRunner.Internal;

/// <summary>The end-of-run report: one row per planned target, a total, and the verdict.</summary>
internal static class SummaryTable
{
    private static readonly string[] Headers = ["Target", "Status", "Duration"];

    public static void Write(BuildOutput output, BuildResult result)
    {
        var rows = result.Targets.Select(t => new[] { t.Name, TargetResult.Describe(t.Status), Duration(t) }).ToList();
        string[] total = ["Total", "", FormatDuration(result.Total)];
        if (output.IsRich)
        {
            output.Render(RichTable(result, total));
        }
        else
        {
            PlainTable(rows, total).ForEach(output.Line);
        }

        output.Line(Verdict(result));
    }

    public static string FormatDuration(TimeSpan duration) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(int)duration.TotalMinutes}:{duration.Seconds:00}.{duration.Milliseconds:000}");

    public static string Verdict(BuildResult result) =>
        result.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"Build succeeded in {result.Total.TotalSeconds:0.0} s")
            : result.FirstFailure is { } target ? $"Build failed (target {target})" : "Build failed (cancelled)";

    public static List<string> PlainTable(IReadOnlyList<string[]> rows, string[] total)
    {
        var widths = Headers.Select((h, i) => rows.Append(total).Append(Headers).Max(r => r[i].Length)).ToArray();
        var border = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        string Row(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        return [border, Row(Headers), border, .. rows.Select(Row), border, Row(total), border];
    }

    private static string Duration(TargetResult target) =>
        target.Status is TargetStatus.Succeeded or TargetStatus.Failed ? FormatDuration(target.Duration) : "";

    private static Table RichTable(BuildResult result, string[] total)
    {
        var table = new Table().Border(TableBorder.Rounded);
        for (var i = 0; i < Headers.Length; i++)
        {
            table.AddColumn(new TableColumn($"[bold]{Headers[i]}[/]").Footer($"[bold]{total[i]}[/]"));
        }

        foreach (var target in result.Targets)
        {
            var colour = target.Status switch
            {
                TargetStatus.Succeeded => "green",
                TargetStatus.Failed => "red",
                _ => "grey",
            };
            table.AddRow(
                Markup.Escape(SecretMasker.Mask(target.Name)),
                $"[{colour}]{TargetResult.Describe(target.Status)}[/]",
                Duration(target));
        }

        return table.ShowFooters();
    }
}

/// <summary>The <c>--plan</c> listing: what would run, in order, and what would not.</summary>
internal static class PlanText
{
    public static void Write(BuildOutput output, IReadOnlyList<PlannedTarget> plan)
    {
        output.Line($"Plan ({plan.Count} targets, nothing run):");
        var width = plan.Max(p => p.Definition.Name.Length);
        for (var i = 0; i < plan.Count; i++)
        {
            var (target, skipped) = plan[i];
            var note = skipped ? "skipped"
                : target.IsAssured ? "runs even after a failure"
                : target.Conditions.Count > 0 ? "only when its condition holds"
                : "";
            output.Line($"  {i + 1,2}. {target.Name.PadRight(width)}  {note}".TrimEnd());
        }
    }
}
