using System.Globalization;
using System.Text.RegularExpressions;
using BuildRunner;

namespace Replication.Tests.Unit;

/// <summary>
/// Every variable of the README's Environment table, good and bad values, judged by the image's own
/// checks without a container: docker/lib sourced into bash on the host, load_environment run once
/// per value. The ranges of server settings come from the host's PostgreSQL server
/// (postgres --describe-config), as the image reads them from its own: PG_BINDIR, or the newest
/// /usr/lib/postgresql/*/bin.
/// </summary>
public sealed partial class EnvironmentValidationTests
{
    private const string ErrorPrefix = "postgres-replication: error: ";

    /// <summary>A value standing for a readable file holding the text after the colon (for *_FILE).</summary>
    private const string FileHolding = "file:";

    public enum Role { Primary, Standby }

    /// <summary>Role, variable, value, accepted.</summary>
    public static TheoryData<Role, string, string, bool> Table => new()
    {
        { Role.Primary, "REPLICATION_ROLE", "primary", true },
        { Role.Primary, "REPLICATION_ROLE", "MASTER", true },
        { Role.Standby, "REPLICATION_ROLE", "slave", true },
        { Role.Primary, "REPLICATION_ROLE", "replica", false },
        { Role.Primary, "REPLICATION_ROLE", "prim\nary", false },
        { Role.Primary, "POSTGRES_USER", "app owner", true },
        { Role.Primary, "POSTGRES_USER", "Ölaf", true },
        { Role.Primary, "POSTGRES_USER", "o'brien", false },
        { Role.Primary, "POSTGRES_USER", "app\"user", false },
        { Role.Primary, "POSTGRES_USER", "a$b", false },
        { Role.Primary, "POSTGRES_USER", "a\\b", false },
        { Role.Primary, "POSTGRES_USER", "pg_owner", false },
        { Role.Primary, "POSTGRES_USER", "public", false },
        { Role.Primary, "POSTGRES_USER", new string('u', 64), false },
        { Role.Primary, "POSTGRES_USER", "app\nuser", false },
        { Role.Primary, "POSTGRES_PASSWORD", "s3cret: with \\ and spaces", true },
        { Role.Primary, "POSTGRES_PASSWORD", "two\nlines", false },
        { Role.Primary, "POSTGRES_DB", "my \"shop\" db", true },
        { Role.Primary, "POSTGRES_DB", new string('d', 64), false },
        { Role.Primary, "POSTGRES_INITDB_ARGS", "--data-checksums --locale=C", true },
        { Role.Primary, "POSTGRES_HOST_AUTH_METHOD", "md5", true },
        { Role.Primary, "POSTGRES_HOST_AUTH_METHOD", "trust", true },
        { Role.Primary, "POSTGRES_HOST_AUTH_METHOD", "ident", false },
        { Role.Primary, "POSTGRES_INITDB_WALDIR", "/var/lib/postgresql/wal", true },
        { Role.Primary, "POSTGRES_INITDB_WALDIR", "wal", false },
        { Role.Primary, "POSTGRES_INITDB_WALDIR", "/", false },
        { Role.Primary, "POSTGRES_INITDB_WALDIR", "/var/lib/../wal", false },
        { Role.Primary, "PGDATA", "/var/lib/postgresql/data/pgdata", true },
        { Role.Primary, "PGDATA", "/", false },
        { Role.Primary, "PGDATA", "//", false },
        { Role.Primary, "PGDATA", "relative/data", false },
        { Role.Primary, "PGDATA", "/var/lib/postgresql/../data", false },
        { Role.Primary, "PGDATA", "/var/./data", false },
        { Role.Primary, "REPLICATION_USER", "streamer", true },
        { Role.Primary, "REPLICATION_USER", "pg_replicator", false },
        { Role.Primary, "REPLICATION_USER", "repl-user", false },
        { Role.Primary, "REPLICATION_USER", "postgres", false },
        { Role.Primary, "REPLICATION_USER_FILE", FileHolding + "streamer", true },
        { Role.Primary, "REPLICATION_USER_FILE", "/nonexistent/replication-user", false },
        { Role.Primary, "REPLICATION_PASSWORD", "r3pl: secret", true },
        { Role.Standby, "REPLICATION_PASSWORD", "", false },
        { Role.Primary, "REPLICATION_PASSWORD", "two\nlines", false },
        { Role.Primary, "REPLICATION_PASSWORD_FILE", FileHolding + "r3pl", true },
        { Role.Primary, "REPLICATION_PASSWORD_FILE", "/nonexistent/replication-password", false },
        { Role.Standby, "PRIMARY_HOST", "db-1.example.com", true },
        { Role.Standby, "PRIMARY_HOST", "10.0.0.5", true },
        { Role.Standby, "PRIMARY_HOST", "fd00::5", true },
        { Role.Standby, "PRIMARY_HOST", "", false },
        { Role.Standby, "PRIMARY_HOST", "pri'mary", false },
        { Role.Standby, "PRIMARY_HOST", "*", false },
        { Role.Standby, "PRIMARY_PORT", "5433", true },
        { Role.Standby, "PRIMARY_PORT", "08", false },
        { Role.Standby, "PRIMARY_PORT", "x", false },
        { Role.Standby, "REPLICATION_SLOT", "standby_2", true },
        { Role.Standby, "REPLICATION_SLOT", "Standby-2", false },
        { Role.Standby, "REPLICATION_SLOT", new string('s', 64), false },
        { Role.Primary, "REPLICATION_ALLOWED_CIDR", "10.0.0.0/8,fd00::/8", true },
        { Role.Primary, "REPLICATION_ALLOWED_CIDR", "samenet, all", true },
        { Role.Primary, "REPLICATION_ALLOWED_CIDR", "*", false },
        { Role.Primary, "REPLICATION_ALLOWED_CIDR", "10.0.0.0/33", false },
        { Role.Primary, "REPLICATION_ALLOWED_CIDR", "10.0.0.1", false },
        { Role.Primary, "REPLICATION_ALLOWED_CIDR", ",", false },
        { Role.Primary, "REPLICATION_ALLOWED_CIDR", "samenet\n*", false },
        { Role.Standby, "PRIMARY_WAIT_TIMEOUT", "300", true },
        { Role.Standby, "PRIMARY_WAIT_TIMEOUT", "08", false },
        { Role.Standby, "CLONE_MAX_RATE", "50M", true },
        { Role.Standby, "CLONE_MAX_RATE", "32", true },
        { Role.Standby, "CLONE_MAX_RATE", "032k", false },
        { Role.Standby, "CLONE_MAX_RATE", "2G", false },
        { Role.Standby, "CLONE_MAX_RATE", "fast", false },
        { Role.Primary, "SYNCHRONOUS_STANDBY_NAMES", "FIRST 1 (standby_1, standby_2)", true },
        { Role.Primary, "SYNCHRONOUS_STANDBY_NAMES", "ANY 2 (\"standby_1\", standby_2)", true },
        { Role.Primary, "SYNCHRONOUS_STANDBY_NAMES", "*", true },
        { Role.Primary, "SYNCHRONOUS_STANDBY_NAMES", "standby-1", false },
        { Role.Primary, "SYNCHRONOUS_STANDBY_NAMES", "FIRST 3 (standby_1, standby_2)", false },
        { Role.Primary, "SYNCHRONOUS_STANDBY_NAMES", "FIRST 0 (standby_1)", false },
        { Role.Primary, "SYNCHRONOUS_COMMIT", "remote_apply", true },
        { Role.Primary, "SYNCHRONOUS_COMMIT", "ON", true },
        { Role.Primary, "SYNCHRONOUS_COMMIT", "bogus", false },
        { Role.Primary, "WAL_KEEP_SIZE", "512MB", true },
        { Role.Primary, "WAL_KEEP_SIZE", "0", true },
        { Role.Primary, "WAL_KEEP_SIZE", "lots", false },
        { Role.Primary, "WAL_KEEP_SIZE", "1.5GB", false },
        { Role.Primary, "WAL_KEEP_SIZE", "9999999999TB", false },
        { Role.Primary, "WAL_KEEP_SIZE", "1GB'; fsync = 'off", false },
        { Role.Primary, "WAL_KEEP_SEGMENTS", "32", true },
        { Role.Primary, "WAL_KEEP_SEGMENTS", "-1", false },
        { Role.Primary, "WAL_KEEP_SEGMENTS", "08", false },
        { Role.Primary, "MAX_WAL_SENDERS", "20", true },
        { Role.Primary, "MAX_WAL_SENDERS", "262143", false },
        { Role.Primary, "MAX_WAL_SENDERS", "ten", false },
        { Role.Primary, "MAX_REPLICATION_SLOTS", "0", true },
        { Role.Primary, "MAX_REPLICATION_SLOTS", "262144", false },
        { Role.Primary, "MAX_SLOT_WAL_KEEP_SIZE", "-1", true },
        { Role.Primary, "MAX_SLOT_WAL_KEEP_SIZE", "10GB", true },
        { Role.Primary, "MAX_SLOT_WAL_KEEP_SIZE", "-2", false },
        { Role.Primary, "MAX_SLOT_WAL_KEEP_SIZE", "9999999999TB", false },
        { Role.Primary, "TCP_USER_TIMEOUT", "0", true },
        { Role.Primary, "TCP_USER_TIMEOUT", "10s", false },
        { Role.Primary, "MAX_CONNECTIONS", "500", true },
        { Role.Primary, "MAX_CONNECTIONS", "4", true },
        { Role.Primary, "MAX_CONNECTIONS", "1", false },
        { Role.Primary, "MAX_CONNECTIONS", "3", false },
        { Role.Primary, "MAX_CONNECTIONS", "262143", false },
        { Role.Primary, "MAX_CONNECTIONS", "08", false },
        { Role.Primary, "PEERS", "standby-1,standby-2:5433", true },
        { Role.Primary, "PEERS", "", true },
        { Role.Primary, "PEERS", "*", false },
        { Role.Primary, "PEERS", "standby-1:0", false },
        { Role.Primary, "PEERS", "standby-1:99999", false },
        { Role.Primary, "PEERS", "stand'by", false },
        { Role.Primary, "PEERS", "standby-1\nstandby-2", false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Each_value_is_accepted_or_refused_in_one_line_naming_its_variable(Role role, string variable, string value, bool accepted)
    {
        using var file = value.StartsWith(FileHolding, StringComparison.Ordinal) ? new TemporaryFile(value[FileHolding.Length..]) : null;

        // When the image's checks judge the value
        var result = await LoadEnvironmentAsync(role, new Dictionary<string, string> { [variable] = file?.Path ?? value });

        // Then it is accepted, or refused with a non-zero exit and one line that names the variable
        if (accepted)
        {
            Assert.True(result.Succeeded, $"{variable}='{value}' was refused: {result.Stderr}");
        }
        else
        {
            AssertRefusedNaming(variable, result);
        }
    }

    /// <summary>
    /// The backup variables, judged with a repository configured (PGBACKREST_REPO1_PATH) unless the
    /// row says none: role, variable, value, repository, accepted.
    /// </summary>
    public static TheoryData<Role, string, string, bool, bool> BackupTable => new()
    {
        { Role.Primary, "PGBACKREST_STANZA", "main", true, true },
        { Role.Primary, "PGBACKREST_STANZA", "prod-eu.1", true, true },
        { Role.Primary, "PGBACKREST_STANZA", "a b", true, false },
        { Role.Primary, "PGBACKREST_STANZA", "../x", true, false },
        { Role.Primary, "PGBACKREST_REPO1_PATH", "/var/lib/pgbackrest", false, true },
        { Role.Primary, "PGBACKREST_REPO1_PATH", "backups", false, false },
        { Role.Primary, "PGBACKREST_REPO1_PATH", "/var/lib/../etc", false, false },
        { Role.Primary, "PGBACKREST_REPO1_PATH", "/var/lib/pgbackrest\n[global]", false, false },
        { Role.Primary, "PGBACKREST_REPO1_TYPE", "posix", true, true },
        { Role.Primary, "PGBACKREST_REPO1_TYPE", "s3", true, false },
        { Role.Primary, "PGBACKREST_REPO1_TYPE", "ftp", true, false },
        { Role.Primary, "PGBACKREST_REPO1_RETENTION_FULL", "2", true, true },
        { Role.Primary, "PGBACKREST_REPO1_RETENTION_FULL", "0", true, false },
        { Role.Primary, "PGBACKREST_REPO1_RETENTION_FULL", "two", true, false },
        { Role.Primary, "PGBACKREST_REPO1_CIPHER_TYPE", "none", true, true },
        { Role.Primary, "PGBACKREST_REPO1_CIPHER_TYPE", "aes-256-cbc", true, false },
        { Role.Primary, "PGBACKREST_REPO1_CIPHER_TYPE", "rot13", true, false },
        { Role.Standby, "CLONE_FROM", "primary", false, true },
        { Role.Standby, "CLONE_FROM", "repository", true, true },
        { Role.Standby, "CLONE_FROM", "repository", false, false },
        { Role.Standby, "CLONE_FROM", "backup", true, false },
        { Role.Primary, "RECOVERY_TARGET_TIME", "2026-12-04 16:05:00+00", true, true },
        { Role.Primary, "RECOVERY_TARGET_TIME", "2026-12-04T16:05:00.123456Z", true, true },
        { Role.Primary, "RECOVERY_TARGET_TIME", "2026-12-04 16:05:00", true, false },
        { Role.Primary, "RECOVERY_TARGET_TIME", "2026-13-04 16:05:00+00", true, false },
        { Role.Primary, "RECOVERY_TARGET_TIME", "yesterday", true, false },
        { Role.Primary, "RECOVERY_TARGET_TIME", "2026-12-04 16:05:00+00", false, false },
        { Role.Standby, "RECOVERY_TARGET_TIME", "2026-12-04 16:05:00+00", true, false },
        { Role.Primary, "RECOVERY_TARGET_LSN", "0/3000060", true, true },
        { Role.Primary, "RECOVERY_TARGET_LSN", "3000060", true, false },
        { Role.Primary, "RECOVERY_TARGET_NAME", "before-migration", true, true },
        { Role.Primary, "RECOVERY_TARGET_NAME", "it's", true, false },
        { Role.Primary, "RECOVERY_TARGET", "latest", true, true },
        { Role.Primary, "RECOVERY_TARGET", "immediate", true, false },
    };

    [Theory]
    [MemberData(nameof(BackupTable))]
    public async Task Each_backup_value_is_accepted_or_refused_in_one_line_naming_its_variable(
        Role role, string variable, string value, bool repository, bool accepted)
    {
        var values = new Dictionary<string, string> { [variable] = value };
        if (repository && variable != "PGBACKREST_REPO1_PATH")
        {
            values["PGBACKREST_REPO1_PATH"] = "/var/lib/pgbackrest";
        }

        // When the image's checks judge the value
        var result = await LoadEnvironmentAsync(role, values);

        // Then it is accepted, or refused with a non-zero exit and one line that names the variable
        if (accepted)
        {
            Assert.True(result.Succeeded, $"{variable}='{value}' was refused: {result.Stderr}");
        }
        else
        {
            AssertRefusedNaming(variable, result);
        }
    }

    [Fact]
    public async Task Two_recovery_targets_at_once_are_refused_naming_both()
    {
        var result = await LoadEnvironmentAsync(Role.Primary, new Dictionary<string, string>
        {
            ["PGBACKREST_REPO1_PATH"] = "/var/lib/pgbackrest",
            ["RECOVERY_TARGET_TIME"] = "2026-12-04 16:05:00+00",
            ["RECOVERY_TARGET_LSN"] = "0/3000060",
        });

        AssertRefusedNaming("RECOVERY_TARGET_TIME RECOVERY_TARGET_LSN", result);
    }

    /// <summary>Variable, setting (null when the server has none), minimum, maximum, unit written after the number.</summary>
    public static TheoryData<string, string?, long, long, string> Ranges => new()
    {
        { "MAX_CONNECTIONS", "max_connections", 0, 0, "" },
        { "MAX_WAL_SENDERS", "max_wal_senders", 0, 0, "" },
        { "MAX_REPLICATION_SLOTS", "max_replication_slots", 0, 0, "" },
        { "TCP_USER_TIMEOUT", "tcp_user_timeout", 0, 0, "" },
        { "WAL_KEEP_SIZE", "wal_keep_size", 0, 0, "MB" },
        { "MAX_SLOT_WAL_KEEP_SIZE", "max_slot_wal_keep_size", 0, 0, "MB" },
        { "PRIMARY_PORT", null, 1, 65535, "" },
        { "PRIMARY_WAIT_TIMEOUT", null, 1, 86400, "" },
        { "WAL_KEEP_SEGMENTS", null, 0, 100000000, "" },
        { "CLONE_MAX_RATE", null, 32, 1048576, "" },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task Values_at_the_limits_pass_and_just_past_them_are_refused(string variable, string? setting, long min, long max, string unit)
    {
        // Given the limits: the server's own for a server setting, the image's for the others
        if (setting is not null)
        {
            (min, max) = (await ServerLimitsAsync())[setting];
        }

        var role = variable is "PRIMARY_PORT" or "PRIMARY_WAIT_TIMEOUT" or "CLONE_MAX_RATE" ? Role.Standby : Role.Primary;
        // The rules between settings the server checks too: connections beyond the reserved ones, and
        // every process slot within MAX_BACKENDS (262143) with the other settings at their defaults.
        var lowest = variable == "MAX_CONNECTIONS" ? 4 : min;
        var highest = variable switch
        {
            "MAX_CONNECTIONS" => 262143 - 10 - await BackgroundWorkerSlotsAsync(),
            "MAX_WAL_SENDERS" => 262143 - 100 - await BackgroundWorkerSlotsAsync(),
            _ => max,
        };

        foreach (var (number, accepted) in new[] { (lowest, true), (highest, true), (lowest - 1, false), (highest + 1, false), (min - 1, false), (max + 1, false) })
        {
            // -1, "no bound", is written bare, as users write it.
            var value = number.ToString(CultureInfo.InvariantCulture) + (number < 0 ? "" : unit);

            // When the image's checks judge the value
            var result = await LoadEnvironmentAsync(role, new Dictionary<string, string> { [variable] = value });

            // Then the limits pass and one past them is refused, naming the variable
            if (accepted)
            {
                Assert.True(result.Succeeded, $"{variable}={value} was refused: {result.Stderr}");
            }
            else
            {
                AssertRefusedNaming(variable, result);
            }
        }
    }

    [Fact]
    public void The_table_covers_every_variable_of_the_readme()
    {
        // Given the variables the README's Environment table documents
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        var section = readme[readme.IndexOf("### Environment", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n### ", 1, StringComparison.Ordinal)];
        var documented = section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => VariableName().Matches(line.Split('|')[1]).Select(match => match.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(documented);

        // Then each has good and bad values in the table, or is a value the image passes on unjudged
        var judged = Table.Select(row => (string)row[1]).Concat(BackupTable.Select(row => (string)row[1])).ToHashSet(StringComparer.Ordinal);
        string[] passedOn = ["POSTGRES_INITDB_ARGS"];
        Assert.Empty(documented.Except(judged).Except(passedOn).Order(StringComparer.Ordinal));
        Assert.Empty(documented.Where(variable => !passedOn.Contains(variable)
            && !Table.Any(row => (string)row[1] == variable && !(bool)row[3])
            && !BackupTable.Any(row => (string)row[1] == variable && !(bool)row[4])).Order(StringComparer.Ordinal));
    }

    private static void AssertRefusedNaming(string variable, ProcessResult result)
    {
        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, line => line.StartsWith(ErrorPrefix, StringComparison.Ordinal));
        Assert.Contains(variable, error, StringComparison.Ordinal);
        Assert.All(lines, line => Assert.StartsWith("postgres-replication: ", line, StringComparison.Ordinal));
    }

    /// <summary>Sources the image's checks into a bash with only the given environment, and runs them.</summary>
    private static Task<ProcessResult> LoadEnvironmentAsync(Role role, IReadOnlyDictionary<string, string> values)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = $"{ServerBinDirectory.Value}:/usr/bin:/bin",
            ["PGDATA"] = "/var/lib/postgresql/data",
            ["POSTGRES_PASSWORD"] = "secret",
            ["REPLICATION_PASSWORD"] = "replsecret",
        };
        if (role == Role.Standby)
        {
            environment["REPLICATION_ROLE"] = "standby";
            environment["PRIMARY_HOST"] = "primary";
            environment["REPLICATION_SLOT"] = "standby_1";
        }

        foreach (var (name, value) in values)
        {
            // A secret as a file replaces the variable itself: both set is refused.
            if (name.EndsWith("_FILE", StringComparison.Ordinal))
            {
                environment.Remove(name[..^"_FILE".Length]);
            }

            environment[name] = value;
        }

        const string script = """
            set -Eeuo pipefail
            for library in log formats limits environment backup; do . "$0/$library.sh"; done
            load_environment
            """;
        return HostProcess.RunAsync(
            "env",
            ["-i", .. environment.Select(pair => $"{pair.Key}={pair.Value}"), "bash", "-c", script, RepositoryRoot.Combine("docker", "lib")],
            CancellationToken.None);
    }

    private static readonly Lazy<string> ServerBinDirectory = new(() =>
        Environment.GetEnvironmentVariable("PG_BINDIR") is { Length: > 0 } configured
            ? configured
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(folder => Path.Combine(folder, "bin"))
                    .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                    .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                    .FirstOrDefault() ?? throw NoServer()
                : throw NoServer());

    private static InvalidOperationException NoServer() => new(
        "these tests read the server's limits from postgres --describe-config: install a PostgreSQL server (apt-get install postgresql) or set PG_BINDIR to its bin directory");

    private static async Task<IReadOnlyDictionary<string, (long Min, long Max)>> ServerLimitsAsync()
    {
        var described = await HostProcess.RunAsync(Path.Combine(ServerBinDirectory.Value, "postgres"), ["--describe-config"], CancellationToken.None);
        Assert.True(described.Succeeded, described.ToString());
        return described.Stdout.Split('\n')
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length > 6 && fields[3] == "INTEGER")
            .ToDictionary(
                fields => fields[0],
                fields => (long.Parse(fields[5], CultureInfo.InvariantCulture), long.Parse(fields[6], CultureInfo.InvariantCulture)),
                StringComparer.Ordinal);
    }

    /// <summary>Process slots of autovacuum and background workers at the server's defaults, as measured
    /// by starting each server: 18 has autovacuum_worker_slots (16) and two special workers, 17
    /// autovacuum_max_workers (3) and two, 15 and 16 autovacuum_max_workers and one; max_worker_processes (8) on all.</summary>
    private static async Task<long> BackgroundWorkerSlotsAsync()
    {
        var described = await HostProcess.RunAsync(Path.Combine(ServerBinDirectory.Value, "postgres"), ["--describe-config"], CancellationToken.None);
        var settings = described.Stdout.Split('\n').Select(line => line.Split('\t')[0]).ToHashSet(StringComparer.Ordinal);
        return settings.Contains("autovacuum_worker_slots") ? 16 + 2 + 8
            : settings.Contains("sync_replication_slots") ? 3 + 2 + 8
            : 3 + 1 + 8;
    }

    [GeneratedRegex("`([A-Z][A-Z0-9_]+)`")]
    private static partial Regex VariableName();

    private sealed class TemporaryFile : IDisposable
    {
        public TemporaryFile(string content)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
