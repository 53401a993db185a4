using PostgresReplication;

namespace Replication.Tests.Unit.Backup;

public sealed class BackupInfoTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Unit", "Backup", name));

    [Fact]
    public void Info_json_lists_the_backups_oldest_first_with_their_type_and_sizes()
    {
        // Given what pgBackRest 2.45 printed after a full, an incremental and a full backup
        var json = Sample("info-2.45-full-incr-full.json");

        // When it is read
        var info = BackupInfo.Parse(json, "main");

        // Then the three backups are there, in order, typed, with the sizes pgBackRest reported
        Assert.Equal(0, info.StatusCode);
        Assert.Equal([BackupType.Full, BackupType.Incr, BackupType.Full], info.Backups.Select(b => b.Type));
        Assert.Equal(["20261204-155222F", "20261204-155230F"], info.Full.Select(b => b.Label));
        Assert.All(info.Backups, b => Assert.True(b.DatabaseBytes > 0 && b.RepositoryBytes > 0 && b.Stopped >= b.Started));
    }

    [Fact]
    public void Info_json_of_pgbackrest_2_60_reads_the_same_way()
    {
        // Given what 2.60 (sid, for PostgreSQL 18) printed after a third full backup with retention-full 2
        var json = Sample("info-2.60-after-retention.json");

        // When it is read
        var info = BackupInfo.Parse(json, "main");

        // Then two full backups remain: the first full and the incremental on it were expired
        Assert.Equal(0, info.StatusCode);
        Assert.Equal(["20261204-155312F", "20261204-155314F"], info.Full.Select(b => b.Label));
        Assert.Equal(2, info.Backups.Count);
    }

    [Fact]
    public void A_stanza_with_no_backup_yet_has_an_empty_list()
    {
        var json = """[{"name":"main","status":{"code":2,"message":"no valid backups"},"backup":[]}]""";

        var info = BackupInfo.Parse(json, "main");

        Assert.Equal(2, info.StatusCode);
        Assert.Empty(info.Backups);
    }

    [Fact]
    public void Another_stanza_than_the_one_asked_for_is_a_format_error()
    {
        var json = """[{"name":"other","status":{"code":0,"message":"ok"},"backup":[]}]""";

        var error = Assert.Throws<FormatException>(() => BackupInfo.Parse(json, "main"));

        Assert.Contains("main", error.Message);
    }
}
