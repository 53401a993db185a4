using System.Globalization;

namespace BuildRunner.Internal;

/// <summary>
/// The <c>--help</c> page: targets with their direct dependencies, parameters with every name
/// they can be set by and their current value (secrets never shown), then the runner's options.
/// </summary>
internal static class HelpText
{
    public static void Write(
        BuildOutput output,
        object build,
        TargetLookup targets,
        string? defaultTarget,
        IReadOnlyList<ParameterMember> parameters)
    {
        output.Line("Usage: build [targets] [options]");
        output.Line("");
        output.Line("Targets:");
        Columns(output, ["Name", "Depends on", "Description"], targets.All.Select(t => new[]
        {
            t.Name.Equals(defaultTarget, StringComparison.OrdinalIgnoreCase) ? $"{t.Name} (default)" : t.Name,
            string.Join(", ", t.Dependencies.Select(d => targets.Declared(d, t.Name).Name)),
            t.DescriptionText ?? "",
        }));
        output.Line("");
        output.Line("Parameters:");
        Columns(output, ["Option", "Environment", "Description", "Value"], parameters.Select(p => new[]
        {
            $"{p.Flag} {ParameterValueParser.Placeholder(p.ValueType)}",
            string.Join(", ", p.EnvironmentNames),
            p.Description,
            p.IsSecret ? "(secret)" : Display(p.GetValue(build)),
        }));
        output.Line("");
        output.Line("Options:");
        Columns(output, ["Option", "Description"], CommandLine.BuiltIns.Select(o => new[] { o.Usage, o.Description }));
    }

    public static string Display(object? value) => value switch
    {
        null => "(not set)",
        string[] list => string.Join(", ", list),
        bool flag => flag ? "true" : "false",
        TimeSpan duration => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds} s"),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void Columns(BuildOutput output, string[] headers, IEnumerable<string[]> rows)
    {
        List<string[]> table = [headers, .. rows];
        if (table.Count == 1)
        {
            output.Line("  (none)");
            return;
        }

        var widths = headers.Select((_, i) => table.Max(row => row[i].Length)).ToArray();
        foreach (var row in table)
        {
            output.Line("  " + string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
