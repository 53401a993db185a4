namespace PostgresReplication.Publishing;

/// <summary>
/// Where images are pushed and with which credentials. Repository, username and password may
/// be unset here (they come from parameters); <see cref="EnsureComplete"/> says which are missing.
/// </summary>
public sealed record RegistryDestination
{
    public const string DockerHub = "docker.io";

    // The engine stores and looks up Docker Hub credentials under this legacy address.
    private const string DockerHubServerAddress = "https://index.docker.io/v1/";

    private static readonly string[] DockerHubAliases = [DockerHub, "index.docker.io", "registry-1.docker.io"];

    private readonly string registry = DockerHub;

    /// <summary>Registry host (and port), e.g. <c>docker.io</c> or <c>127.0.0.1:5000</c>; a scheme or trailing slash is dropped.</summary>
    public string Registry
    {
        get => registry;
        init => registry = Normalize(value);
    }

    /// <summary>Repository path inside the registry, e.g. <c>someone/postgres-replication</c>.</summary>
    public string? Repository { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public bool IsDockerHub => DockerHubAliases.Contains(Registry, StringComparer.OrdinalIgnoreCase);

    /// <summary>The repository as the engine names it: Docker Hub's without a host, others' with one.</summary>
    public string RepositoryReference =>
        IsDockerHub ? RequireRepository() : $"{Registry}/{RequireRepository()}";

    /// <summary>The address credentials are sent for.</summary>
    public string ServerAddress => IsDockerHub ? DockerHubServerAddress : Registry;

    /// <summary>The full image reference for a tag, e.g. <c>someone/postgres-replication:18</c>.</summary>
    public string ImageReference(string tag) => $"{RepositoryReference}:{tag}";

    /// <summary>Throws <see cref="RegistrySettingsMissingException"/> naming every unset setting.</summary>
    public void EnsureComplete()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(Repository))
        {
            missing.Add(PublishingParameters.Repository);
        }

        if (string.IsNullOrWhiteSpace(Username))
        {
            missing.Add(PublishingParameters.Username);
        }

        if (string.IsNullOrEmpty(Password))
        {
            missing.Add(PublishingParameters.Password);
        }

        if (missing.Count > 0)
        {
            throw new RegistrySettingsMissingException(Registry, missing);
        }
    }

    // Records print every property; the password must never reach a log.
    public override string ToString() =>
        $"RegistryDestination {{ Registry = {Registry}, Repository = {Repository ?? "(unset)"}, Username = {Username ?? "(unset)"}, " +
        $"Password = {(string.IsNullOrEmpty(Password) ? "(unset)" : "***")} }}";

    private string RequireRepository() =>
        string.IsNullOrWhiteSpace(Repository)
            ? throw new RegistrySettingsMissingException(Registry, [PublishingParameters.Repository])
            : Repository;

    private static string Normalize(string value)
    {
        var host = value.Trim();
        foreach (var scheme in (string[])["https://", "http://"])
        {
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                host = host[scheme.Length..];
            }
        }

        host = host.TrimEnd('/');
        return host.Length == 0 ? DockerHub : host;
    }
}

/// <summary>Publishing was asked for without the settings it needs; nothing was tagged or pushed.</summary>
public sealed class RegistrySettingsMissingException(string registry, IReadOnlyList<string> missing)
    : Exception($"Cannot publish to {registry}: set the {string.Join(", the ", missing)}.");

/// <summary>The registry refused the credentials; nothing further was pushed.</summary>
public sealed class RegistryAuthenticationException(string registry, string? username, string detail)
    : Exception(
        $"{registry} refused the credentials of user '{username}' ({detail}): {PublishingParameters.CredentialsHint}.");
