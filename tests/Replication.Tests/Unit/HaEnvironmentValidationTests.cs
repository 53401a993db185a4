using BuildRunner;

namespace Replication.Tests.Unit;

/// <summary>
/// The HA image's variables, good and bad values, judged by its own checks without a container:
/// docker/lib and docker/ha/lib sourced into bash on the host, the role's load function run once
/// per value. A refusal is one line naming the variable, before anything is written.
/// </summary>
public sealed class HaEnvironmentValidationTests
{
    private const string ErrorPrefix = "postgres-replication: error: ";

    public enum Role { Patroni, Etcd, Haproxy }

    /// <summary>Role, variable, value, accepted.</summary>
    public static TheoryData<Role, string, string, bool> Table => new()
    {
        { Role.Patroni, "PATRONI_SCOPE", "shop-db", true },
        { Role.Patroni, "PATRONI_SCOPE", "", false },
        { Role.Patroni, "PATRONI_SCOPE", "shop db", false },
        { Role.Patroni, "PATRONI_SCOPE", "shop/db", false },
        { Role.Patroni, "PATRONI_NAME", "member-2", true },
        { Role.Patroni, "PATRONI_NAME", "member 2", false },
        { Role.Patroni, "PATRONI_NAME", "-member", false },
        { Role.Patroni, "PATRONI_ETCD3_HOSTS", "etcd-1:2379, etcd-2:2379,10.0.0.3:2379", true },
        { Role.Patroni, "PATRONI_ETCD3_HOSTS", "", false },
        { Role.Patroni, "PATRONI_ETCD3_HOSTS", "etcd-1", false },
        { Role.Patroni, "PATRONI_ETCD3_HOSTS", "etcd-1:0", false },
        { Role.Patroni, "PATRONI_ETCD3_HOSTS", "etcd-1:70000", false },
        { Role.Patroni, "PATRONI_ETCD3_HOSTS", "*:2379", false },
        { Role.Patroni, "PATRONI_ETCD3_HOSTS", "etcd-1:2379\netcd-2:2379", false },
        { Role.Patroni, "PATRONI_KUBERNETES_NAMESPACE", "shop", false },
        { Role.Patroni, "PATRONI_RESTAPI_USERNAME", "admin.api", true },
        { Role.Patroni, "PATRONI_RESTAPI_USERNAME", "", false },
        { Role.Patroni, "PATRONI_RESTAPI_USERNAME", "ad:min", false },
        { Role.Patroni, "PATRONI_RESTAPI_PASSWORD", "s3cret: with \\ and ' quotes", true },
        { Role.Patroni, "PATRONI_RESTAPI_PASSWORD", "", false },
        { Role.Patroni, "PATRONI_RESTAPI_PASSWORD", "two\nlines", false },
        { Role.Patroni, "POSTGRES_USER", "app owner", true },
        { Role.Patroni, "POSTGRES_USER", "pg_owner", false },
        { Role.Patroni, "POSTGRES_USER", "o'brien", false },
        { Role.Patroni, "POSTGRES_PASSWORD", "it's: a \"secret\"", true },
        { Role.Patroni, "POSTGRES_PASSWORD", "", false },
        { Role.Patroni, "POSTGRES_PASSWORD", "two\nlines", false },
        { Role.Patroni, "REPLICATION_USER", "streamer", true },
        { Role.Patroni, "REPLICATION_USER", "repl-user", false },
        { Role.Patroni, "REPLICATION_USER", "postgres", false },
        { Role.Patroni, "REPLICATION_PASSWORD", "", false },
        { Role.Patroni, "REPLICATION_PASSWORD_FILE", "/nonexistent/replication-password", false },
        { Role.Patroni, "REPLICATION_ALLOWED_CIDR", "10.0.0.0/8, fd00::/8", true },
        { Role.Patroni, "REPLICATION_ALLOWED_CIDR", "10.0.0.0/33", false },
        { Role.Patroni, "MAX_CONNECTIONS", "200", true },
        { Role.Patroni, "MAX_CONNECTIONS", "0", false },
        { Role.Patroni, "MAX_SLOT_WAL_KEEP_SIZE", "-1", true },
        { Role.Patroni, "MAX_SLOT_WAL_KEEP_SIZE", "2 GB", false },
        { Role.Patroni, "WAL_KEEP_SIZE", "1GB", true },
        { Role.Patroni, "WAL_KEEP_SIZE", "lots", false },
        { Role.Patroni, "TCP_USER_TIMEOUT", "-5", false },
        { Role.Patroni, "SYNCHRONOUS_MODE", "strict", true },
        { Role.Patroni, "SYNCHRONOUS_MODE", "On", true },
        { Role.Patroni, "SYNCHRONOUS_MODE", "quorum", false },
        { Role.Patroni, "PATRONI_TTL", "30", true },
        { Role.Patroni, "PATRONI_TTL", "10", false },
        { Role.Patroni, "PATRONI_LOOP_WAIT", "10", false },
        { Role.Patroni, "PATRONI_LOOP_WAIT", "0", false },
        { Role.Patroni, "PATRONI_RETRY_TIMEOUT", "9", true },
        { Role.Patroni, "PATRONI_RETRY_TIMEOUT", "10", false },
        { Role.Patroni, "REPLICATION_ROLE", "primary", false },
        { Role.Patroni, "PRIMARY_HOST", "db-1", false },
        { Role.Patroni, "SYNCHRONOUS_STANDBY_NAMES", "*", false },
        { Role.Patroni, "PGDATA", "relative/data", false },
        { Role.Etcd, "ETCD_NAME", "etcd-2", true },
        { Role.Etcd, "ETCD_NAME", "", false },
        { Role.Etcd, "ETCD_NAME", "etcd 2", false },
        { Role.Etcd, "ETCD_NAME", "etcd-9", false },
        { Role.Etcd, "ETCD_INITIAL_CLUSTER", "", false },
        { Role.Etcd, "ETCD_INITIAL_CLUSTER", "etcd-1=http://etcd-1:2380, etcd-2=http://etcd-2:2380", false },
        { Role.Etcd, "ETCD_DATA_DIR", "/var/lib/etcd/data", true },
        { Role.Etcd, "ETCD_DATA_DIR", "data", false },
        { Role.Haproxy, "HA_MEMBERS", "member-1, member-2,10.0.0.7", true },
        { Role.Haproxy, "HA_MEMBERS", "", false },
        { Role.Haproxy, "HA_MEMBERS", " , ", false },
        { Role.Haproxy, "HA_MEMBERS", "member-1:5432", false },
        { Role.Haproxy, "HA_MEMBERS", "member-1\nmember-2", false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Each_value_is_accepted_or_refused_in_one_line_naming_its_variable(Role role, string variable, string value, bool accepted)
    {
        // When the role's checks judge the value
        var result = await LoadAsync(role, variable, value);

        // Then a good value passes and a bad one is refused in one line naming the variable
        if (accepted)
        {
            Assert.True(result.Succeeded, $"{variable}={value} was refused: {result.Stderr}");
            return;
        }

        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, line => line.StartsWith(ErrorPrefix, StringComparison.Ordinal));
        Assert.Contains(variable, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_defaults_keep_a_leader_cut_off_from_the_store_from_outliving_its_key()
    {
        // Given only what a member must be told
        var result = await LoadAsync(Role.Patroni, "PATRONI_NAME", "member-1", "echo \"$PATRONI_TTL $PATRONI_LOOP_WAIT $PATRONI_RETRY_TIMEOUT\"");

        // Then Patroni's timing is its minimum ttl, with loop_wait + 2 x retry_timeout within it
        Assert.True(result.Succeeded, result.Stderr);
        var timing = result.Stdout.Trim().Split(' ').Select(int.Parse).ToArray();
        Assert.Equal(20, timing[0]);
        Assert.True(timing[1] + (2 * timing[2]) <= timing[0], result.Stdout);
    }

    private static Task<ProcessResult> LoadAsync(Role role, string variable, string value, string then = "")
    {
        var environment = role switch
        {
            Role.Patroni => new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PGDATA"] = "/var/lib/postgresql/data",
                ["PG_MAJOR"] = "18",
                ["PATRONI_SCOPE"] = "shop",
                ["PATRONI_NAME"] = "member-1",
                ["PATRONI_ETCD3_HOSTS"] = "etcd-1:2379",
                ["PATRONI_RESTAPI_USERNAME"] = "patroni",
                ["PATRONI_RESTAPI_PASSWORD"] = "restsecret",
                ["POSTGRES_PASSWORD"] = "secret",
                ["REPLICATION_PASSWORD"] = "replsecret",
            },
            Role.Etcd => new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ETCD_NAME"] = "etcd-1",
                ["ETCD_INITIAL_CLUSTER"] = "etcd-1=http://etcd-1:2380,etcd-2=http://etcd-2:2380",
            },
            _ => new Dictionary<string, string>(StringComparer.Ordinal) { ["HA_MEMBERS"] = "member-1" },
        };
        environment["PATH"] = "/usr/bin:/bin";
        if (variable.EndsWith("_FILE", StringComparison.Ordinal))
        {
            environment.Remove(variable[..^"_FILE".Length]);
        }

        environment[variable] = value;
        var load = role switch { Role.Patroni => "load_patroni_environment", Role.Etcd => "load_etcd_environment", _ => "load_haproxy_environment" };
        var script = $"""
            set -Eeuo pipefail
            for library in log formats environment; do . "$0/lib/$library.sh"; done
            for library in privileges yaml patroni-environment etcd; do . "$0/ha/lib/$library.sh"; done
            HAPROXY_CONFIG=/nonexistent/haproxy.cfg
            . "$0/ha/lib/haproxy.sh"
            {load}
            {then}
            """;
        return HostProcess.RunAsync(
            "env",
            ["-i", .. environment.Select(pair => $"{pair.Key}={pair.Value}"), "bash", "-c", script, RepositoryRoot.Combine("docker")],
            CancellationToken.None);
    }
}
