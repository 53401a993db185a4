using PostgresReplication;

namespace Replication.Tests.Unit.Backup;

public sealed class RecoveryTargetTests
{
    [Fact]
    public void A_time_is_written_in_UTC_to_the_microsecond_with_an_explicit_offset()
    {
        var time = new DateTimeOffset(2026, 12, 4, 17, 30, 1, TimeSpan.FromHours(2)).AddTicks(1234567);

        Assert.Equal("2026-12-04 15:30:01.123456+00:00", RecoveryTarget.FormatTime(time));
    }

    [Fact]
    public void Between_two_commits_is_a_microsecond_after_the_first_and_before_the_second()
    {
        var first = new DateTimeOffset(2026, 12, 4, 15, 30, 1, TimeSpan.Zero).AddTicks(10);
        var second = first.AddTicks(35);

        var target = RecoveryTarget.Between(first, second);

        Assert.Equal("RECOVERY_TARGET_TIME", target.Variable);
        Assert.Equal("2026-12-04 15:30:01.000002+00:00", target.Value);
    }

    [Fact]
    public void Commits_within_the_same_microsecond_have_no_time_between_them()
    {
        var first = new DateTimeOffset(2026, 12, 4, 15, 30, 1, TimeSpan.Zero).AddTicks(10);

        Assert.Throws<ArgumentException>(() => RecoveryTarget.Between(first, first.AddTicks(5)));
    }

    [Fact]
    public void No_option_means_the_latest()
    {
        var (target, error) = RecoveryTarget.FromOptions(null, null, " ");

        Assert.Null(error);
        Assert.Equal(new Dictionary<string, string?> { ["RECOVERY_TARGET"] = "latest" }, target!.Environment());
    }

    [Theory]
    [InlineData("2026-12-04 15:30:00+00:00", null, null, "RECOVERY_TARGET_TIME", "2026-12-04 15:30:00.000000+00:00")]
    [InlineData("2026-12-04T17:30:00.5+02", null, null, "RECOVERY_TARGET_TIME", "2026-12-04 15:30:00.500000+00:00")]
    [InlineData(null, "0/3000060", null, "RECOVERY_TARGET_LSN", "0/3000060")]
    [InlineData(null, null, "before-migration", "RECOVERY_TARGET_NAME", "before-migration")]
    public void One_option_is_the_variable_the_image_takes(string? time, string? lsn, string? name, string variable, string value)
    {
        var (target, error) = RecoveryTarget.FromOptions(time, lsn, name);

        Assert.Null(error);
        Assert.Equal(new RecoveryTarget(variable, value), target);
    }

    [Theory]
    [InlineData("2026-12-04 15:30:00", null, null, "--recovery-target-time")]
    [InlineData("2026-12-04", null, null, "--recovery-target-time")]
    [InlineData("yesterday", null, null, "--recovery-target-time")]
    [InlineData(null, "3000060", null, "--recovery-target-lsn")]
    [InlineData(null, "0/XYZ", null, "--recovery-target-lsn")]
    [InlineData("2026-12-04 15:30:00+00", "0/3000060", null, "--recovery-target-time and --recovery-target-lsn")]
    public void A_bad_or_second_option_is_refused_naming_the_options(string? time, string? lsn, string? name, string named)
    {
        var (target, error) = RecoveryTarget.FromOptions(time, lsn, name);

        Assert.Null(target);
        Assert.StartsWith(named, error);
    }

    [Theory]
    [InlineData("full", BackupType.Full)]
    [InlineData("diff", BackupType.Diff)]
    [InlineData("incr", BackupType.Incr)]
    [InlineData("Full", null)]
    [InlineData("differential", null)]
    public void Backup_types_are_the_words_pgbackrest_takes(string word, BackupType? type)
    {
        Assert.Equal(type, BackupTypes.Parse(word));
        if (type is { } known)
        {
            Assert.Equal(word, known.Word());
        }
    }
}
