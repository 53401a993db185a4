using System.Diagnostics;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The native side of the backup figures: the host's PostgreSQL and the host's pgBackRest (same
/// version as the image's), with the options the image writes (gz, one process, start-fast,
/// retention 2 full) and a posix repository in a host folder on the same disk as the engine's volumes.
/// Everything lives in one folder, owned by postgres, that disposing deletes after stopping every server.
/// </summary>
internal sealed class NativeBackupServer : IAsyncDisposable
{
    private const string Stanza = "main";
    private readonly NativeBinaries _binaries;
    private readonly string _root;
    private readonly List<NativeServer> _servers = [];
    private readonly string _password = ClusterOptions.NewPassword();

    private NativeBackupServer(NativeBinaries binaries, string root)
    {
        _binaries = binaries;
        _root = root;
    }

    public NativeServer Primary { get; private set; } = null!;

    private string Config => Path.Combine(_root, "pgbackrest.conf");

    public static async Task<NativeBackupServer> CreateAsync(NativeBinaries binaries, string workDirectory, CancellationToken ct)
    {
        var root = Path.Combine(workDirectory, $"pgrepl-bench-backup-{RunId.New()}");
        await NativeCommand.RunAsync(
            "install", ["-d", "-o", NativeCommand.PostgresUser, "-g", NativeCommand.PostgresUser, "-m", "700", root], ct);
        return new NativeBackupServer(binaries, root);
    }

    /// <summary>initdb, the archive_command the image sets, start, stanza-create.</summary>
    public async Task StartPrimaryAsync(CancellationToken ct)
    {
        var data = Path.Combine(_root, "primary");
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Config, $"""
            [global]
            repo1-path={Path.Combine(_root, "repository")}
            repo1-retention-full=2
            lock-path={Path.Combine(_root, "lock")}
            spool-path={Path.Combine(_root, "spool")}
            log-path={Path.Combine(_root, "log")}
            log-level-file=off
            start-fast=y

            [{Stanza}]
            pg1-path={data}
            pg1-socket-path={_root}
            pg1-port={port}
            pg1-user=postgres

            """, ct);
        await NativeCommand.RunAsync(
            _binaries.Initdb, ["-D", data, "--username=postgres", "--auth-local=trust", "--auth-host=trust"],
            ct, asPostgres: true, workingDirectory: _root);
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"""

            # As the image with a repository: every WAL segment goes to pgBackRest.
            archive_mode = on
            archive_command = 'pgbackrest --config={Config} --stanza={Stanza} archive-push %p'

            """, ct);
        Primary = Start("primary", data, port);
        await Probes.WaitUntilAcceptingConnectionsAsync(Primary, ct);
        await PgBackRestAsync(["stanza-create"], ct);
    }

    /// <summary>`pgbackrest backup --type=full` as a user runs it on the host; returns its wall time.</summary>
    public async Task<TimeSpan> BackupAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await PgBackRestAsync(["backup", "--type=full"], ct);
        return clock.Elapsed;
    }

    /// <summary>Archives the WAL written so far (switches and waits), as before a restore.</summary>
    public Task CheckAsync(CancellationToken ct) => PgBackRestAsync(["check"], ct);

    /// <summary>
    /// `pgbackrest restore` into an empty folder, then the server started on it, until it accepts
    /// writes (promoted); returns the server (the caller removes it) and the wall time.
    /// </summary>
    public async Task<(NativeServer Server, TimeSpan Time)> RestoreAsync(string name, DateTimeOffset? targetTime, CancellationToken ct)
    {
        var data = Path.Combine(_root, name);
        var clock = Stopwatch.StartNew();
        await PgBackRestAsync(
        [
            $"--pg1-path={data}", "restore", "--target-timeline=current",
            .. targetTime is { } t
                ? [$"--type=time", $"--target={RecoveryTarget.FormatTime(t)}", "--target-action=promote"]
                : new[] { "--type=default" },
        ], ct);
        var server = Start(name, data, FreePort.Next());
        await BackupBenchmark.WaitUntilPromotedAsync(server, ct);
        return (server, clock.Elapsed);
    }

    public async Task RemoveAsync(NativeServer server)
    {
        await server.DisposeAsync();
        _servers.Remove(server);
        Directory.Delete(server.DataDirectory, recursive: true);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _servers.Clear();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private NativeServer Start(string name, string data, int port)
    {
        var server = NativeServer.Start(_binaries, name, data, new PgEndpoint(port, "postgres", _password, "postgres"), _root);
        _servers.Add(server);
        return server;
    }

    private Task<string> PgBackRestAsync(IReadOnlyList<string> arguments, CancellationToken ct) =>
        NativeCommand.RunAsync("pgbackrest", [$"--config={Config}", $"--stanza={Stanza}", .. arguments], ct, asPostgres: true, workingDirectory: _root);
}
