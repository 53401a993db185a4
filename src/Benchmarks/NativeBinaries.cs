namespace PostgresReplication.Benchmarks;

/// <summary>The host's PostgreSQL server programs, all from one bin folder (one major version).</summary>
internal sealed record NativeBinaries(string Directory)
{
    public string Initdb => Path.Combine(Directory, "initdb");

    public string Postgres => Path.Combine(Directory, "postgres");

    public string PgBasebackup => Path.Combine(Directory, "pg_basebackup");

    public string PgRewind => Path.Combine(Directory, "pg_rewind");

    /// <summary>For example "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)".</summary>
    public async Task<string> VersionAsync(CancellationToken ct) =>
        (await NativeCommand.RunAsync(Postgres, ["--version"], ct)).Trim();
}
