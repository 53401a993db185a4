using NpgsqlTypes;
using PostgresReplication;

namespace Replication.Tests.Unit;

/// <summary>Which standby a role change promotes, on hand-made states: no server is started.</summary>
public sealed class RoleChangePlanTests
{
    private static StandbyState Streaming(string name, string syncState, ulong held) => new(name)
    {
        Answered = true,
        InRecovery = true,
        ReplicationState = "streaming",
        SyncState = syncState,
        Received = new NpgsqlLogSequenceNumber(held),
        Replayed = new NpgsqlLogSequenceNumber(held),
    };

    private static StandbyState Silent(StandbyState seen) => new(seen.Name) { ReplicationState = seen.ReplicationState, SyncState = seen.SyncState };

    private static ClusterSurvey Survey(params StandbyState[] standbys) => new("primary", PrimaryAnswered: true, standbys);

    [Fact]
    public void A_failover_is_refused_before_the_kill_when_the_synchronous_standby_does_not_answer()
    {
        // Given a synchronous standby that does not answer and an asynchronous one that does
        var survey = Survey(Silent(Streaming("standby-1", "sync", 200)), Streaming("standby-2", "async", 100));

        // When a failover is checked, Then it is refused, and forced it goes ahead with a warning
        var refusal = Assert.Throws<RoleChangeException>(() => RoleChangePlan.CheckBeforeKill(survey, target: null, force: false));
        Assert.Contains("standby-1", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal.Message);
        Assert.Single(RoleChangePlan.CheckBeforeKill(survey, target: null, force: true));
    }

    [Fact]
    public void An_asynchronous_standby_that_does_not_answer_is_left_out_with_a_warning()
    {
        var survey = Survey(Streaming("standby-1", "sync", 200), Silent(Streaming("standby-2", "async", 100)));

        var warning = Assert.Single(RoleChangePlan.CheckBeforeKill(survey, target: null, force: false));
        Assert.Contains("standby-2", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_target_that_does_not_answer_is_refused_before_the_kill_even_when_forced()
    {
        var survey = Survey(Streaming("standby-1", "sync", 200), Silent(Streaming("standby-2", "async", 100)));

        Assert.Throws<RoleChangeException>(() => RoleChangePlan.CheckBeforeKill(survey, "standby-2", force: true));
    }

    [Fact]
    public void Without_the_primary_any_silent_standby_may_be_the_synchronous_one()
    {
        // Given a survey in which the primary did not answer, so no sync_state is known
        var survey = new ClusterSurvey("primary", PrimaryAnswered: false, [Silent(new StandbyState("standby-1")), Streaming("standby-2", "async", 100) with { ReplicationState = null, SyncState = null }]);

        Assert.Throws<RoleChangeException>(() => RoleChangePlan.CheckBeforeKill(survey, target: null, force: false));
    }

    [Fact]
    public void After_the_kill_the_standby_holding_the_most_WAL_is_promoted()
    {
        var before = Survey(Streaming("standby-1", "async", 100), Streaming("standby-2", "sync", 100));
        IReadOnlyList<StandbyState> after = [Streaming("standby-1", "async", 150), Streaming("standby-2", "sync", 300)];

        var choice = RoleChangePlan.ChooseAfterKill(before, after, target: null, force: false);

        Assert.Equal("standby-2", choice.Target);
        Assert.Empty(choice.Warnings);
    }

    [Fact]
    public void A_synchronous_standby_that_stops_answering_after_the_kill_stops_the_failover_unless_forced()
    {
        // Given a synchronous standby that answered before the kill and an asynchronous one behind it
        var before = Survey(Streaming("standby-1", "sync", 300), Streaming("standby-2", "async", 100));
        IReadOnlyList<StandbyState> after = [Silent(before["standby-1"]), Streaming("standby-2", "async", 100)];

        // When the synchronous one no longer answers, Then the asynchronous one is not promoted
        Assert.Throws<RoleChangeException>(() => RoleChangePlan.ChooseAfterKill(before, after, target: null, force: false));
        Assert.Equal("standby-2", RoleChangePlan.ChooseAfterKill(before, after, target: null, force: true).Target);
    }

    [Fact]
    public void A_named_target_behind_the_synchronous_standby_is_refused_and_behind_an_asynchronous_one_warned()
    {
        var before = Survey(Streaming("standby-1", "sync", 300), Streaming("standby-2", "async", 250), Streaming("standby-3", "async", 100));
        IReadOnlyList<StandbyState> after = [before["standby-1"], before["standby-2"], before["standby-3"]];

        Assert.Throws<RoleChangeException>(() => RoleChangePlan.ChooseAfterKill(before, after, "standby-3", force: false));
        Assert.Equal("standby-3", RoleChangePlan.ChooseAfterKill(before, after, "standby-3", force: true).Target);

        var behindAsync = Survey(Streaming("standby-1", "sync", 300), Streaming("standby-2", "async", 400));
        var choice = RoleChangePlan.ChooseAfterKill(behindAsync, [.. behindAsync.Standbys], "standby-1", force: false);
        Assert.Equal("standby-1", choice.Target);
        Assert.Single(choice.Warnings);
    }

    [Fact]
    public void A_switchover_ignores_a_standby_that_does_not_stream_even_when_it_holds_as_much()
    {
        // Given a disconnected standby listed first, holding as much WAL as the streaming one
        var survey = Survey(Streaming("standby-1", "async", 200) with { ReplicationState = null, SyncState = null }, Streaming("standby-2", "async", 200));

        Assert.Equal("standby-2", RoleChangePlan.ChooseSwitchoverTarget(survey, target: null));
        Assert.Throws<RoleChangeException>(() => RoleChangePlan.ChooseSwitchoverTarget(survey, "standby-1"));
    }

    [Fact]
    public void A_switchover_without_a_streaming_standby_is_refused()
    {
        var survey = Survey(Silent(Streaming("standby-1", "async", 200)));

        Assert.Throws<RoleChangeException>(() => RoleChangePlan.ChooseSwitchoverTarget(survey, target: null));
    }
}
