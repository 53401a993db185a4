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
}
