using BuildRunner.Internal;
using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class TargetDiscoveryTests
{
    [Fact]
    public void Target_properties_of_any_visibility_are_found_in_declaration_order()
    {
        // Given
        var build = new MixedBuild();

        // When
        var targets = TargetDiscovery.Discover(build);

        // Then
        Assert.Equal(["Shared", "Clean", "Compile", "Test"], targets.Select(t => t.Name));
    }

    [Fact]
    public async Task References_to_expression_bodied_properties_resolve_although_each_read_is_a_new_delegate()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new MixedBuild();

        // When
        var exitCode = await harness.RunAsync(build, "Test");

        // Then
        Assert.NotSame(build.Compile, build.Compile);
        Assert.Equal(0, exitCode);
        Assert.Equal(["Shared", "Compile", "Test"], build.Ran);
    }

    private abstract class SharedBuild : RecordingBuild
    {
        protected Target Shared => _ => _.Executes(Record(nameof(Shared)));
    }

    private sealed class MixedBuild : SharedBuild
    {
        public string NotATarget => "ignored";

        Target Clean => _ => _.Executes(Record(nameof(Clean)));

        internal Target Compile => _ => _.DependsOn(Shared).Executes(Record(nameof(Compile)));

        public Target Test => _ => _.DependsOn(Compile).Executes(Record(nameof(Test)));
    }
}
