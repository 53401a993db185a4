namespace PostgresReplication.Benchmarks.Tests;

/// <summary>The default report links the other targets' reports that exist beside it, and none that does not.</summary>
public sealed class OtherReportsTests
{
    [Fact]
    public void Only_the_reports_present_are_linked()
    {
        var directory = Directory.CreateTempSubdirectory("pgrepl-reports-").FullName;
        try
        {
            Assert.Equal("", MarkdownReport.OtherReports(directory));

            File.WriteAllText(Path.Combine(directory, BackupSuite.ReportFileName), "# backup");
            File.WriteAllText(Path.Combine(directory, "chaos.md"), "# chaos");
            var line = MarkdownReport.OtherReports(directory);

            Assert.Contains($"[{BackupSuite.ReportFileName}]({BackupSuite.ReportFileName}), `./build.sh BackupBenchmark`", line, StringComparison.Ordinal);
            Assert.Contains("[chaos.md](chaos.md)", line, StringComparison.Ordinal);
            Assert.DoesNotContain(ScaleSuite.ReportFileName, line, StringComparison.Ordinal);
            Assert.DoesNotContain(HaBenchmark.ReportFileName, line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_bars_of_each_report_present_are_copied_and_nothing_else()
    {
        var directory = Directory.CreateTempSubdirectory("pgrepl-reports-").FullName;
        try
        {
            Assert.Equal("", MarkdownReport.OtherReportsBars(directory));

            File.WriteAllText(Path.Combine(directory, BackupSuite.ReportFileName), """
                # Backup and restore

                ## Bar

                | figure | bar | measured | met |
                |---|---|---|---|
                | restore (latest) throughput | container >= 90% of native | 78% of native | **no** |

                ## Figures

                | figure | container | native |
                """);
            File.WriteAllText(Path.Combine(directory, "chaos.md"), "# chaos\n\nno bars here\n");
            var section = MarkdownReport.OtherReportsBars(directory);

            Assert.Contains($"[{BackupSuite.ReportFileName}]({BackupSuite.ReportFileName})", section, StringComparison.Ordinal);
            Assert.Contains("| restore (latest) throughput | container >= 90% of native | 78% of native | **no** |", section, StringComparison.Ordinal);
            Assert.DoesNotContain("| figure | container | native |", section, StringComparison.Ordinal);
            Assert.DoesNotContain("chaos.md", section, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
