using System.Net.Sockets;
using System.Net;
using NpgsqlTypes;

namespace PostgresReplication.Benchmarks;

/// <summary>
/// The reference: the host's own PostgreSQL as a primary and standbys, separate processes on
/// 127.0.0.1, run as the postgres OS user, data in a folder of its own that disposing deletes.
/// The steps are the plain ones (initdb; start; pg_basebackup -R; start), authenticated the way
/// the image does it (SCRAM over TCP, a trusted socket), with the image's settings a failover needs.
/// After a failover the former primary rejoins by pg_rewind (<see cref="NativeRewind"/>).
/// </summary>
internal sealed class NativePair : IReplicationPair
{
    private const string Superuser = "postgres";
    private const string Database = "postgres";
    /// <summary>
    /// What the image sets that a failover depends on, in the file rather than as -c: pg_rewind
    /// recovers a killed server without our options, and the wal_log_hints that recovery records in
    /// pg_control is the one pg_rewind then checks. A promotion requested while a standby waits between
    /// attempts to reach its lost primary waits out the retry interval first (seen on 15: 5 s by default).
    /// </summary>
    private const string SettingsAsTheImage = """

        # As the image (postgres-replication): pg_rewind needs hint bits in the WAL; a standby retries its primary every second.
        wal_log_hints = on
        wal_retrieve_retry_interval = '1s'

        """;

    private readonly NativeBinaries _binaries;
    private readonly string _root;
    private readonly string _password = ClusterOptions.NewPassword();
    private readonly Dictionary<string, (NativeServer Server, string Slot)> _standbys = [];
    private NativeServer? _primary;
    private NativeServer? _formerPrimary;

    private NativePair(NativeBinaries binaries, string root)
    {
        _binaries = binaries;
        _root = root;
    }

    public string Side => Sides.Native;

    public PgEndpoint Primary => PrimaryServer.Endpoint;

    private NativeServer PrimaryServer => _primary ?? throw new InvalidOperationException("The native primary has not started.");

    /// <summary>Creates the pair's folder, owned by postgres and private to it.</summary>
    public static async Task<NativePair> CreateAsync(NativeBinaries binaries, string workDirectory, CancellationToken ct)
    {
        var root = Path.Combine(workDirectory, $"pgrepl-bench-{RunId.New()}");
        await NativeCommand.RunAsync(
            "install", ["-d", "-o", NativeCommand.PostgresUser, "-g", NativeCommand.PostgresUser, "-m", "700", root], ct);
        return new NativePair(binaries, root);
    }

    public async Task StartPrimaryAsync(CancellationToken ct, string? standbyAlongside = null)
    {
        var data = Path.Combine(_root, "primary");
        var passwordFile = Path.Combine(_root, "superuser-password");
        await File.WriteAllTextAsync(passwordFile, _password + "\n", ct);
        if (!OperatingSystem.IsWindows())
        {
            // Written by root, read by initdb running as postgres; the folder around it is postgres-only.
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        await NativeCommand.RunAsync(
            _binaries.Initdb,
            ["-D", data, $"--username={Superuser}", $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256"],
            ct, asPostgres: true, workingDirectory: _root);
        File.Delete(passwordFile);
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), SettingsAsTheImage, ct);

        _primary = NativeServer.Start(_binaries, "primary", data, NewEndpoint(), _root);
        await Probes.WaitUntilAcceptingConnectionsAsync(_primary, ct);
    }

    public async Task<string> StartStandbyAsync(string name, CancellationToken ct)
    {
        var slot = SlotName.FromHostname(name);
        var data = Path.Combine(_root, slot);
        await NativeCommand.RunAsync(
            _binaries.PgBasebackup,
            [
                "-D", data, "-R", "-X", "stream", "--checkpoint=fast", "-C", "-S", slot, "--no-password",
                "-d", $"host={PgEndpoint.Host} port={Primary.Port} user={Superuser} application_name={slot}",
            ],
            ct, asPostgres: true, environment: new Dictionary<string, string> { ["PGPASSWORD"] = _password }, workingDirectory: _root);

        var server = NativeServer.Start(_binaries, name, data, NewEndpoint(), _root);
        _standbys[name] = (server, slot);
        await Probes.WaitUntilStreamingAsync(PrimaryServer, server, slot, server.WaitTimeout, ct);
        return slot;
    }

    public Task SeedAsync(CancellationToken ct) => Primary.ExecuteAsync(TutorialSeed.Sql, ct);

    public async Task AssertReplicationAsync(string standbyName, CancellationToken ct)
    {
        var (server, _) = Standby(standbyName);
        var lsn = await Primary.ScalarAsync<NpgsqlLogSequenceNumber>("SELECT pg_current_wal_lsn()", ct);
        await Probes.WaitForReplayAsync(server, lsn, server.WaitTimeout, ct);
        var onPrimary = await Primary.ScalarAsync<long>(TutorialSeed.CountSql, ct);
        var onStandby = await server.Endpoint.ScalarAsync<long>(TutorialSeed.CountSql, ct);
        TutorialSeed.RequireSameCount(Side, standbyName, onPrimary, onStandby);
    }

    public async Task PromoteAsync(string standbyName, CancellationToken ct)
    {
        var (server, _) = Standby(standbyName);
        await PrimaryAdmin.PromoteAsync(server.Endpoint, ct);
        _formerPrimary = PrimaryServer;
        _primary = server;
        _standbys.Remove(standbyName);
    }

    /// <summary>
    /// Rewinds the killed primary's data to the promoted one and starts it as its standby, with a
    /// slot named after it as the image would; returns once the new primary shows it streaming.
    /// </summary>
    public async Task RejoinFormerPrimaryAsync(CancellationToken ct)
    {
        var former = _formerPrimary ?? throw new InvalidOperationException("No native primary was killed and replaced.");
        var slot = SlotName.FromHostname(former.Name);
        await former.WaitUntilChildrenExitedAsync(ct);
        await NativeRewind.AsStandbyAsync(_binaries, former.DataDirectory, Primary, slot, await PassfileAsync(ct), _root, ct);
        var server = NativeServer.Start(_binaries, former.Name, former.DataDirectory, NewEndpoint(), _root);
        _standbys[former.Name] = (server, slot);
        await former.DisposeAsync();
        _formerPrimary = null;
        await Probes.WaitUntilStreamingAsync(PrimaryServer, server, slot, server.WaitTimeout, ct);
    }

    public Task<int> PrimaryPostmasterPidAsync(CancellationToken ct) => Task.FromResult(PrimaryServer.ProcessId);

    public async Task StopStandbyAsync(string standbyName, CancellationToken ct)
    {
        var (server, _) = Standby(standbyName);
        await server.StopAsync(ct);
    }

    /// <summary>A new postgres process on the stopped standby's data and port, as a container's restart keeps both.</summary>
    public async Task RestartStandbyAsync(string standbyName, CancellationToken ct)
    {
        var (server, slot) = Standby(standbyName);
        await server.DisposeAsync();
        _standbys[standbyName] = (NativeServer.Start(_binaries, server.Name, server.DataDirectory, server.Endpoint, _root), slot);
    }

    public async Task RemoveStandbyAsync(string standbyName, CancellationToken ct)
    {
        var (server, slot) = Standby(standbyName);
        await server.DisposeAsync();
        _standbys.Remove(standbyName);
        Directory.Delete(server.DataDirectory, recursive: true);
        await PrimaryAdmin.DropSlotAsync(Primary, slot, ct);
    }

    /// <summary>Stops every server (standbys first) and deletes the folder, also after a failure or a cancel.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (server, _) in _standbys.Values)
        {
            await server.DisposeAsync();
        }

        _standbys.Clear();
        foreach (var server in new[] { _primary, _formerPrimary })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// The superuser's password for every server of the pair (they share it), readable by the postgres
    /// OS user alone: libpq ignores a passfile others may read. The password is hex: nothing to escape.
    /// </summary>
    private async Task<string> PassfileAsync(CancellationToken ct)
    {
        var passfile = Path.Combine(_root, "superuser.pgpass");
        await NativeCommand.RunAsync(
            "install", ["-o", NativeCommand.PostgresUser, "-g", NativeCommand.PostgresUser, "-m", "600", "/dev/null", passfile], ct);
        await File.WriteAllTextAsync(passfile, $"{PgEndpoint.Host}:*:*:{Superuser}:{_password}\n", ct);
        return passfile;
    }

    private PgEndpoint NewEndpoint() =>
        new(FreePort.Next(), Superuser, _password, Database) { ApplicationName = ContainerPair.BenchmarkApplicationName };

    private (NativeServer Server, string Slot) Standby(string name) =>
        _standbys.TryGetValue(name, out var standby) ? standby : throw new InvalidOperationException($"No native standby named {name}.");
}

/// <summary>A loopback port nobody listens on right now, chosen by the kernel.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
