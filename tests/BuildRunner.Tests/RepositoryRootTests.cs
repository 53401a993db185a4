using BuildRunner.Internal;

namespace BuildRunner.Tests;

public sealed class RepositoryRootTests
{
    [Fact]
    public void The_root_is_found_by_walking_up_to_the_folder_holding_dot_nuke()
    {
        // Given
        var root = Directory.CreateTempSubdirectory("buildrunner-root-").FullName;
        Directory.CreateDirectory(Path.Combine(root, ".nuke"));
        var nested = Directory.CreateDirectory(Path.Combine(root, "tests", "scenarios")).FullName;

        try
        {
            // When
            var found = RepositoryRoot.Find(nested);

            // Then
            Assert.Equal(root, found);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Without_dot_nuke_anywhere_above_the_error_says_what_was_looked_for()
    {
        // Given
        var lonely = Directory.CreateTempSubdirectory("buildrunner-noroot-").FullName;

        try
        {
            // When
            var error = Assert.Throws<BuildFailedException>(() => RepositoryRoot.Find(lonely));

            // Then
            Assert.Contains(".nuke/", error.Message);
            Assert.Contains(lonely, error.Message);
        }
        finally
        {
            Directory.Delete(lonely);
        }
    }
}
