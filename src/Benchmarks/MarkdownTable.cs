using System.Text;

namespace PostgresReplication.Benchmarks;

/// <summary>A GitHub markdown table: a header row, then rows; the first column left-aligned, the others right-aligned when numeric.</summary>
internal sealed class MarkdownTable(bool numeric, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"A row of {cells.Length} cells in a table of {headers.Length} columns.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var table = new StringBuilder();
        table.AppendLine($"| {string.Join(" | ", headers)} |");
        table.AppendLine($"|{string.Join("|", headers.Select((_, i) => i == 0 || !numeric ? "---" : "---:"))}|");
        foreach (var row in _rows)
        {
            table.AppendLine($"| {string.Join(" | ", row)} |");
        }

        return table.ToString();
    }
}
