namespace PostgresReplication.Publishing.Tests;

public sealed class RegistryDestinationTests
{
    [Fact]
    public void Docker_Hub_references_have_no_host()
    {
        // Given the default registry
        var target = new RegistryDestination { Repository = "someone/postgres-replication" };

        // When a tag's reference is made
        var reference = target.ImageReference("18");

        // Then it is the short Docker Hub form, and credentials go to Docker Hub's address
        Assert.Equal("someone/postgres-replication:18", reference);
        Assert.Equal("https://index.docker.io/v1/", target.ServerAddress);
    }

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/")]
    public void Other_registries_prefix_their_host(string registry)
    {
        // Given a registry other than Docker Hub, possibly written as a URL
        var target = new RegistryDestination { Registry = registry, Repository = "someone/postgres-replication" };

        // When a tag's reference is made
        var reference = target.ImageReference("18");

        // Then the host and port lead
        Assert.Equal("127.0.0.1:5000/someone/postgres-replication:18", reference);
        Assert.Equal("127.0.0.1:5000", target.ServerAddress);
    }

    [Fact]
    public void The_password_never_appears_in_ToString()
    {
        // Given a target with a password
        var target = new RegistryDestination { Repository = "a/b", Username = "someone", Password = "hunter2-secret" };

        // When it is printed
        var text = target.ToString();

        // Then the password is masked and the rest is readable
        Assert.DoesNotContain("hunter2-secret", text, StringComparison.Ordinal);
        Assert.Contains("***", text, StringComparison.Ordinal);
        Assert.Contains("someone", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_settings_are_all_named_with_how_to_set_them()
    {
        // Given a target with only a username
        var target = new RegistryDestination { Username = "someone" };

        // When it is checked
        var error = Assert.Throws<RegistrySettingsMissingException>(target.EnsureComplete);

        // Then repository and password are named with their parameters, the username is not
        Assert.Contains("--repository", error.Message, StringComparison.Ordinal);
        Assert.Contains("--registry-password", error.Message, StringComparison.Ordinal);
        Assert.Contains("DOCKERHUB_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--registry-username", error.Message, StringComparison.Ordinal);
    }
}
