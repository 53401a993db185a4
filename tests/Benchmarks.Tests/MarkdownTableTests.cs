namespace PostgresReplication.Benchmarks.Tests;

public sealed class MarkdownTableTests
{
    [Fact]
    public void A_numeric_table_left_aligns_the_first_column_and_right_aligns_the_others()
    {
        // Given
        var table = new MarkdownTable(numeric: true, "figure", "container", "native")
            .Row("total (s)", "3.00", "2.00")
            .Row("seed (s)", "0.010", "0.008");

        // When
        var markdown = table.ToString();

        // Then
        Assert.Equal(
            """
            | figure | container | native |
            |---|---:|---:|
            | total (s) | 3.00 | 2.00 |
            | seed (s) | 0.010 | 0.008 |

            """.ReplaceLineEndings(Environment.NewLine),
            markdown);
    }

    [Fact]
    public void A_text_table_left_aligns_every_column()
    {
        // Given
        var table = new MarkdownTable(numeric: false, "figure", "met").Row("Image layer size", "yes");

        // When
        var lines = table.ToString().Split(Environment.NewLine);

        // Then
        Assert.Equal("|---|---|", lines[1]);
    }

    [Fact]
    public void A_table_without_rows_is_its_header()
    {
        // Given
        var table = new MarkdownTable(numeric: true, "a", "b");

        // When
        var lines = table.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        // Then
        Assert.Equal(["| a | b |", "|---|---:|"], lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_row_of_the_wrong_width_is_refused(int cells)
    {
        // Given
        var table = new MarkdownTable(numeric: true, "figure", "value");

        // When
        var refusal = Record.Exception(() => table.Row([.. Enumerable.Repeat("x", cells)]));

        // Then
        var argument = Assert.IsType<ArgumentException>(refusal);
        Assert.Contains($"A row of {cells} cells in a table of 2 columns", argument.Message, StringComparison.Ordinal);
    }
}
