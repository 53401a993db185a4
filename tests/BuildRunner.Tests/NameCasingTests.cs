using BuildRunner.Internal;

namespace BuildRunner.Tests;

public sealed class NameCasingTests
{
    [Theory]
    [InlineData("PgVersion", "pg-version", "PG_VERSION")]
    [InlineData("RegistryPassword", "registry-password", "REGISTRY_PASSWORD")]
    [InlineData("CIBuild", "ci-build", "CI_BUILD")]
    [InlineData("Pg18Image", "pg18-image", "PG18_IMAGE")]
    [InlineData("_standbys", "standbys", "STANDBYS")]
    public void Member_names_become_flags_and_environment_variables(string member, string kebab, string snake)
    {
        // Given a member name

        // When
        var flag = NameCasing.Kebab(member);
        var variable = NameCasing.ScreamingSnake(member);

        // Then
        Assert.Equal(kebab, flag);
        Assert.Equal(snake, variable);
    }
}
