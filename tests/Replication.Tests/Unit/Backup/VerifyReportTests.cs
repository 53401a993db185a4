using PostgresReplication;

namespace Replication.Tests.Unit.Backup;

/// <summary>pgBackRest's verify exits 0 whatever it finds: the pipeline reads its text report instead.</summary>
public sealed class VerifyReportTests
{
    // `pgbackrest verify --output=text` on 2.60.0 after 40 bytes of one file of the backup were overwritten.
    private const string DamagedReport = """
        stanza: main
        status: error
          backup: 20261204-201954F, status: invalid, total files checked: 972, total valid files: 971
            checksum invalid: 1

        """;

    [Fact]
    public void An_empty_report_is_a_sound_repository() =>
        Assert.Empty(PgBackRest.VerifyProblems(""));

    [Fact]
    public void A_damaged_backup_is_named_with_what_was_wrong_in_it()
    {
        var problems = PgBackRest.VerifyProblems(DamagedReport);

        Assert.Equal(2, problems.Count);
        Assert.Equal("status: error", problems[0]);
        Assert.Equal("backup: 20261204-201954F, status: invalid, total files checked: 972, total valid files: 971, checksum invalid: 1", problems[1]);
    }

    [Fact]
    public void Statuses_ok_and_valid_are_no_problem() =>
        Assert.Empty(PgBackRest.VerifyProblems("stanza: main\nstatus: ok\n  backup: 20261204-201954F, status: valid, total files checked: 972, total valid files: 972\n"));
}
