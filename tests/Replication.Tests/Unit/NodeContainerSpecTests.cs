using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class NodeContainerSpecTests
{
    private static readonly ClusterOptions Options = new()
    {
        Image = "postgres-replication:18-test",
        RunId = new RunId("1a2b3c4d"),
        SuperuserPassword = "super-secret",
        ReplicationPassword = "repl-secret",
    };

    [Fact]
    public void A_primary_gets_the_superuser_and_replication_credentials()
    {
        var env = NodeContainerSpec.Environment(Options, "primary", NodeRole.Primary, upstream: null, overrides: null);

        Assert.Equal("primary", env["REPLICATION_ROLE"]);
        Assert.Equal("super-secret", env["POSTGRES_PASSWORD"]);
        Assert.Equal("repl-secret", env["REPLICATION_PASSWORD"]);
        Assert.Equal("replicator", env["REPLICATION_USER"]);
    }

    [Fact]
    public void A_standby_is_pointed_at_its_upstreams_alias_and_gets_no_superuser_password()
    {
        var env = NodeContainerSpec.Environment(Options, "standby-1", NodeRole.Standby, "primary", overrides: null);

        Assert.Equal("standby", env["REPLICATION_ROLE"]);
        Assert.Equal("primary", env["PRIMARY_HOST"]);
        Assert.Equal("5432", env["PRIMARY_PORT"]);
        Assert.Equal("repl-secret", env["REPLICATION_PASSWORD"]);
        Assert.False(env.ContainsKey("POSTGRES_PASSWORD"));
    }

    [Fact]
    public void Overrides_apply_after_per_node_settings_and_null_removes_a_variable()
    {
        var options = Options with
        {
            NodeEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string?>>
            {
                ["standby-1"] = new Dictionary<string, string?> { ["PRIMARY_WAIT_TIMEOUT"] = "5", ["REPLICATION_SLOT"] = "from_options" },
            },
        };

        var env = NodeContainerSpec.Environment(
            options, "standby-1", NodeRole.Standby, "primary",
            new Dictionary<string, string?> { ["REPLICATION_SLOT"] = "from_call", ["REPLICATION_PASSWORD"] = null });

        Assert.Equal("5", env["PRIMARY_WAIT_TIMEOUT"]);
        Assert.Equal("from_call", env["REPLICATION_SLOT"]);
        Assert.False(env.ContainsKey("REPLICATION_PASSWORD"));
    }

    [Fact]
    public void The_container_is_named_by_run_and_node_reachable_by_alias_and_published_on_loopback_only()
    {
        var env = NodeContainerSpec.Environment(Options, "standby-1", NodeRole.Standby, "primary", overrides: null);

        var create = NodeContainerSpec.Create(Options, "standby-1", "pgrepl-1a2b3c4d-standby-1-data", "/var/lib/postgresql", env);

        Assert.Equal("pgrepl-1a2b3c4d-standby-1", create.Name);
        Assert.Equal("standby-1", create.Hostname);
        Assert.NotNull(create.NetworkingConfig);
        Assert.Equal(["standby-1"], create.NetworkingConfig.EndpointsConfig["pgrepl-1a2b3c4d"].Aliases);
        var host = create.HostConfig;
        Assert.NotNull(host);
        Assert.Equal("pgrepl-1a2b3c4d", host.NetworkMode);
        var binding = Assert.Single(host.PortBindings["5432/tcp"]);
        Assert.Equal(("127.0.0.1", ""), (binding.HostIP, binding.HostPort));
        Assert.NotNull(host.Mounts);
        var mount = Assert.Single(host.Mounts);
        Assert.Equal(("volume", "pgrepl-1a2b3c4d-standby-1-data", "/var/lib/postgresql"), (mount.Type, mount.Source, mount.Target));
        // The engine creates the volume with the container: the labels let the Janitor find it.
        Assert.Equal(create.Labels, mount.VolumeOptions?.Labels);
        Assert.Equal("standby-1", create.Labels["io.postgres-replication.node"]);
        Assert.Contains("PRIMARY_HOST=primary", create.Env);
    }

    [Fact]
    public void A_backup_repository_is_one_run_labelled_volume_on_every_node_with_its_path_and_retention()
    {
        var options = Options with { BackupRepository = true };
        var env = NodeContainerSpec.Environment(options, "standby-1", NodeRole.Standby, "primary", overrides: null);

        var create = NodeContainerSpec.Create(options, "standby-1", "pgrepl-1a2b3c4d-standby-1-data", "/var/lib/postgresql", env);

        Assert.Equal("/var/lib/pgbackrest", env["PGBACKREST_REPO1_PATH"]);
        Assert.Equal("2", env["PGBACKREST_REPO1_RETENTION_FULL"]);
        var repository = Assert.Single(create.HostConfig?.Mounts ?? [], m => m.Target == "/var/lib/pgbackrest");
        Assert.Equal(("volume", "pgrepl-1a2b3c4d-backup"), (repository.Type, repository.Source));
        var labels = repository.VolumeOptions?.Labels ?? new Dictionary<string, string>();
        Assert.False(labels.ContainsKey("io.postgres-replication.node"));
        Assert.Equal("1a2b3c4d", labels["io.postgres-replication.run"]);
    }

    [Fact]
    public void Without_a_backup_repository_nothing_about_backups_is_set()
    {
        var env = NodeContainerSpec.Environment(Options, "primary", NodeRole.Primary, upstream: null, overrides: null);

        Assert.DoesNotContain(env.Keys, key => key.StartsWith("PGBACKREST_", StringComparison.Ordinal));
    }

    [Fact]
    public void Server_settings_become_postgres_dash_c_arguments()
    {
        var options = Options with { ServerSettings = new Dictionary<string, string> { ["max_connections"] = "200", ["fsync"] = "off" } };

        var create = NodeContainerSpec.Create(options, "primary", "v", "/var/lib/postgresql", new Dictionary<string, string>());

        Assert.Equal(["postgres", "-c", "max_connections=200", "-c", "fsync=off"], create.Cmd);
    }

    [Fact]
    public void Passwords_are_random_per_cluster()
    {
        Assert.NotEqual(new ClusterOptions { Image = "x" }.SuperuserPassword, new ClusterOptions { Image = "x" }.SuperuserPassword);
    }
}
