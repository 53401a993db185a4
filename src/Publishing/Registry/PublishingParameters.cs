namespace PostgresReplication.Publishing;

/// <summary>
/// How users set the registry settings, worded once so every message names the same
/// parameters and environment variables as the build and the release workflow.
/// </summary>
public static class PublishingParameters
{
    public const string Repository = "repository (--repository or REPOSITORY)";

    public const string Username = "username (--registry-username, or REGISTRY_USERNAME / DOCKERHUB_USERNAME)";

    public const string Password = "password (--registry-password, or REGISTRY_PASSWORD / DOCKERHUB_TOKEN)";

    public const string CredentialsHint =
        "check --registry-username and --registry-password (environment: REGISTRY_USERNAME and REGISTRY_PASSWORD, " +
        "or DOCKERHUB_USERNAME and DOCKERHUB_TOKEN)";
}
