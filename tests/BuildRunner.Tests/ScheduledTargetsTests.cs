using BuildRunner.Tests.Support;

namespace BuildRunner.Tests;

public sealed class ScheduledTargetsTests
{
    [Fact]
    public async Task A_target_sees_which_later_targets_the_run_will_execute()
    {
        // Given a plan Start -> Follow, and a run of Start alone
        using var harness = new BuildHarness();
        var both = new LookAheadBuild();
        var startOnly = new LookAheadBuild();

        // When each runs
        await harness.RunAsync(both, "Follow");
        await harness.RunAsync(startOnly, "Start");

        // Then Start knows whether Follow comes after it
        Assert.True(both.FollowWasScheduled);
        Assert.False(startOnly.FollowWasScheduled);
    }

    [Fact]
    public async Task A_skipped_target_is_not_scheduled()
    {
        // Given
        using var harness = new BuildHarness();
        var build = new LookAheadBuild();

        // When Follow is requested but Start runs and Follow is skipped
        await harness.RunAsync(build, "Follow", "--skip", "Follow");

        // Then
        Assert.False(build.FollowWasScheduled);
    }

    private sealed class LookAheadBuild : RecordingBuild
    {
        public bool FollowWasScheduled { get; private set; }

        Target Start => _ => _.Executes(() => FollowWasScheduled = IsScheduled("follow"));

        Target Follow => _ => _.DependsOn(Start).Executes(Record(nameof(Follow)));
    }
}
