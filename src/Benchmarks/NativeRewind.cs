namespace PostgresReplication.Benchmarks;

/// <summary>
/// The native side of a rejoin: a former primary's data, its server stopped, rewound with pg_rewind
/// to a promoted server and left as that server's standby, the steps the image takes for a container.
/// The promoted server must have checkpointed since its promotion (see <see cref="FailoverBenchmark"/>).
/// </summary>
internal static class NativeRewind
{
    public static async Task AsStandbyAsync(
        NativeBinaries binaries, string dataDirectory, PgEndpoint source, string slot, string passfile, string workingDirectory,
        CancellationToken ct)
    {
        await PrimaryAdmin.CreateSlotAsync(source, slot, ct);
        await NativeCommand.RunAsync(
            binaries.PgRewind,
            [
                $"--target-pgdata={dataDirectory}",
                // The password comes from the passfile; -R writes this conninfo, passfile included, as primary_conninfo.
                $"--source-server=host={PgEndpoint.Host} port={source.Port} user={source.User} dbname={source.Database} " +
                $"passfile={ConninfoQuoted(passfile)} application_name={slot}",
                "--write-recovery-conf",
            ],
            ct, asPostgres: true, workingDirectory: workingDirectory);

        // -R names no slot, and the primary_slot_name that came with the source's postgresql.auto.conf
        // is the promoted server's own slot on the primary that is gone; the last line of the file wins.
        await File.AppendAllTextAsync(
            Path.Combine(dataDirectory, "postgresql.auto.conf"), $"primary_slot_name = '{slot}'\n", ct);
    }

    /// <summary>A libpq connection string value in single quotes (the work folder may hold a space).</summary>
    private static string ConninfoQuoted(string value) => $"'{value.Replace(@"\", @"\\").Replace("'", @"\'")}'";
}
