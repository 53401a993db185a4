namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// A git repository in a temp folder with its own identity and signing off, so tests do not
/// depend on (or change) the machine's git configuration.
/// </summary>
public sealed class ThrowawayRepository : IDisposable
{
    private readonly TempDirectory folder;
    private readonly Git git;
    private int commits;

    private ThrowawayRepository(TempDirectory folder)
    {
        this.folder = folder;
        git = new Git(folder.Path);
    }

    public string Path => folder.Path;

    public static async Task<ThrowawayRepository> CreateAsync(CancellationToken ct, bool bare = false)
    {
        var repository = new ThrowawayRepository(new TempDirectory(bare ? "bare" : "repo"));
        string[] init = bare ? ["init", "--quiet", "--bare"] : ["init", "--quiet", "--initial-branch=main"];
        await repository.GitAsync(ct, init);
        await repository.GitAsync(ct, "config", "user.name", "Publishing Tests");
        await repository.GitAsync(ct, "config", "user.email", "publishing-tests@example.invalid");
        await repository.GitAsync(ct, "config", "commit.gpgsign", "false");
        await repository.GitAsync(ct, "config", "tag.gpgsign", "false");
        return repository;
    }

    /// <summary>Adds a commit changing one file; returns its SHA.</summary>
    public async Task<string> CommitAsync(CancellationToken ct)
    {
        commits++;
        await File.WriteAllTextAsync(System.IO.Path.Combine(Path, "file.txt"), $"change {commits}\n", ct);
        await GitAsync(ct, "add", "file.txt");
        await GitAsync(ct, "commit", "--quiet", "-m", $"commit {commits}");
        return await HeadAsync(ct);
    }

    public async Task<string> HeadAsync(CancellationToken ct) => (await GitAsync(ct, "rev-parse", "HEAD")).Trim();

    public async Task<string> GitAsync(CancellationToken ct, params string[] arguments) =>
        (await git.RunAsync(arguments, ct)).Stdout;

    public async Task<IReadOnlyList<string>> TagsAsync(CancellationToken ct) =>
        (await git.RunAsync(["tag", "--list"], ct)).Lines.ToList();

    public void Dispose() => folder.Dispose();
}
