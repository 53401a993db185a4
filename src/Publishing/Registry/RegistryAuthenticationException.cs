namespace PostgresReplication.Publishing;

/// <summary>The registry refused the credentials; nothing further was pushed.</summary>
public sealed class RegistryAuthenticationException(string registry, string? username, string detail)
    : Exception(
        $"{registry} refused the credentials of user '{username}' ({detail}): {PublishingParameters.CredentialsHint}.")
{
    public string Registry { get; } = registry;
}
