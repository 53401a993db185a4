namespace PostgresReplication.Benchmarks.Tests;

public sealed class LikeForLikeTests
{
    [Theory]
    [InlineData("postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)", 15)]
    [InlineData("postgres (PostgreSQL) 18.1", 18)]
    [InlineData("postgres (PostgreSQL) 19devel", 19)]
    [InlineData("postgres (PostgreSQL) 9.6.24", 9)]
    public void The_major_is_read_from_postgres_version(string line, int major)
    {
        // Given, When
        var parsed = LikeForLike.ParseMajor(line);

        // Then
        Assert.Equal(major, parsed);
    }

    [Fact]
    public void A_version_line_without_a_major_is_refused()
    {
        // Given, When
        var refusal = Record.Exception(() => LikeForLike.ParseMajor("pg_ctl: command not found"));

        // Then
        Assert.IsType<BenchmarkException>(refusal);
    }

    [Fact]
    public void Without_a_major_given_the_hosts_is_used()
    {
        // Given, When
        var major = LikeForLike.ChooseMajor(requested: null, nativeMajor: 15, "/usr/lib/postgresql/15/bin");

        // Then
        Assert.Equal(15, major);
    }

    [Fact]
    public void The_hosts_major_given_is_kept()
    {
        // Given, When
        var major = LikeForLike.ChooseMajor(requested: 15, nativeMajor: 15, "/usr/lib/postgresql/15/bin");

        // Then
        Assert.Equal(15, major);
    }

    [Fact]
    public void Another_major_is_refused_in_one_line_naming_both_and_the_fix()
    {
        // Given, When
        var refusal = Record.Exception(() => LikeForLike.ChooseMajor(requested: 18, nativeMajor: 15, "/usr/lib/postgresql/15/bin"));

        // Then
        var message = Assert.IsType<BenchmarkException>(refusal).Message;
        Assert.DoesNotContain('\n', message);
        Assert.Contains("--pg-version 18 differs from the host's PostgreSQL 15 in /usr/lib/postgresql/15/bin", message, StringComparison.Ordinal);
        Assert.Contains("run it with --pg-version 15", message, StringComparison.Ordinal);
        Assert.Contains("--native-bin-directory", message, StringComparison.Ordinal);
    }
}
