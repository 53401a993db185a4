using BuildRunner.Internal;
using static BuildRunner.Tests.Support.HandMadeTargets;

namespace BuildRunner.Tests;

public sealed class TargetPlannerTests
{
    [Fact]
    public void Dependencies_run_first_even_when_declared_later()
    {
        // Given
        Target buildImage = _ => _;
        Target startPrimary = _ => _.DependsOn(buildImage);
        Target startStandby = _ => _.DependsOn(startPrimary);
        Target test = _ => _.DependsOn(startStandby);
        var targets = Targets(("Test", test), ("StartStandby", startStandby), ("StartPrimary", startPrimary), ("BuildImage", buildImage));

        // When
        var plan = TargetPlanner.Plan(targets, ["Test"], skip: null);

        // Then
        Assert.Equal(["BuildImage", "StartPrimary", "StartStandby", "Test"], Names(plan));
    }

    [Fact]
    public void Targets_nobody_asked_for_stay_out_of_the_plan()
    {
        // Given
        Target clean = _ => _;
        Target compile = _ => _;
        Target test = _ => _.DependsOn(compile);
        var targets = Targets(("Clean", clean), ("Compile", compile), ("Test", test));

        // When
        var plan = TargetPlanner.Plan(targets, ["Test"], skip: null);

        // Then
        Assert.Equal(["Compile", "Test"], Names(plan));
    }

    [Fact]
    public void After_does_not_pull_the_other_target_in()
    {
        // Given
        Target test = _ => _;
        Target stop = _ => _.After(test);
        var targets = Targets(("Test", test), ("Stop", stop));

        // When
        var plan = TargetPlanner.Plan(targets, ["Stop"], skip: null);

        // Then
        Assert.Equal(["Stop"], Names(plan));
    }

    [Fact]
    public void After_orders_targets_that_are_both_in_the_plan()
    {
        // Given: Stop is declared first, so only After can put it last
        Target test = _ => _;
        Target stop = _ => _.After(test);
        var targets = Targets(("Stop", stop), ("Test", test));

        // When
        var plan = TargetPlanner.Plan(targets, ["Stop", "Test"], skip: null);

        // Then
        Assert.Equal(["Test", "Stop"], Names(plan));
    }

    [Fact]
    public void Before_orders_without_pulling_in()
    {
        // Given: Clean is declared last, so only Before can put it first
        Target buildImage = _ => _;
        Target clean = _ => _.Before(buildImage);
        var targets = Targets(("BuildImage", buildImage), ("Clean", clean));

        // When
        var both = TargetPlanner.Plan(targets, ["BuildImage", "Clean"], skip: null);
        var alone = TargetPlanner.Plan(targets, ["Clean"], skip: null);

        // Then
        Assert.Equal(["Clean", "BuildImage"], Names(both));
        Assert.Equal(["Clean"], Names(alone));
    }

    [Fact]
    public void Triggers_add_the_triggered_target_and_its_dependencies_after_the_trigger()
    {
        // Given: Report is declared first, so only Triggers can put it after Test
        Target collect = _ => _;
        Target report = _ => _.DependsOn(collect);
        Target test = _ => _.Triggers(report);
        var targets = Targets(("Report", report), ("Collect", collect), ("Test", test));

        // When
        var plan = TargetPlanner.Plan(targets, ["Test"], skip: null);

        // Then
        Assert.Equal(["Collect", "Test", "Report"], Names(plan));
    }

    [Fact]
    public void Unrelated_targets_keep_declaration_order_not_command_line_order()
    {
        // Given
        Target lint = _ => _;
        Target test = _ => _;
        var targets = Targets(("Lint", lint), ("Test", test));

        // When
        var plan = TargetPlanner.Plan(targets, ["Test", "Lint"], skip: null);

        // Then
        Assert.Equal(["Lint", "Test"], Names(plan));
    }

    [Fact]
    public void A_dependency_cycle_is_rejected_with_the_cycle_named()
    {
        // Given
        Target a = null!;
        Target b = _ => _.DependsOn(a);
        a = _ => _.DependsOn(b);
        var targets = Targets(("A", a), ("B", b));

        // When
        var error = Assert.Throws<BuildFailedException>(() => TargetPlanner.Plan(targets, ["A"], skip: null));

        // Then
        Assert.Contains("A -> B -> A", error.Message);
    }

    [Fact]
    public void A_cycle_closed_by_an_ordering_rule_is_rejected_too()
    {
        // Given: A needs B, B needs C, and C wants to run after A
        Target a = null!;
        Target c = _ => _.After(a);
        Target b = _ => _.DependsOn(c);
        a = _ => _.DependsOn(b);
        var targets = Targets(("A", a), ("B", b), ("C", c));

        // When
        var error = Assert.Throws<BuildFailedException>(() => TargetPlanner.Plan(targets, ["A"], skip: null));

        // Then
        Assert.Contains("A -> B -> C -> A", error.Message);
    }

    [Fact]
    public void Target_names_are_case_insensitive()
    {
        // Given
        Target compile = _ => _;
        Target test = _ => _.DependsOn(compile);
        var targets = Targets(("Compile", compile), ("Test", test));

        // When
        var plan = TargetPlanner.Plan(targets, ["tEsT"], skip: ["COMPILE"]);

        // Then
        Assert.Equal(["Compile", "Test"], Names(plan));
        Assert.Equal(["Compile"], Skipped(plan));
    }

    [Fact]
    public void An_unknown_target_is_an_error_listing_the_valid_ones()
    {
        // Given
        Target compile = _ => _;
        Target test = _ => _;
        var targets = Targets(("Compile", compile), ("Test", test));

        // When
        var error = Assert.Throws<BuildFailedException>(() => TargetPlanner.Plan(targets, ["Deploy"], skip: null));

        // Then
        Assert.Contains("'Deploy'", error.Message);
        Assert.Contains("Compile, Test", error.Message);
    }

    [Fact]
    public void A_reference_to_a_delegate_that_is_no_target_is_an_error()
    {
        // Given
        Target stray = _ => _;
        Target test = _ => _.DependsOn(stray);
        var targets = Targets(("Test", test));

        // When
        var error = Assert.Throws<BuildFailedException>(() => TargetPlanner.Plan(targets, ["Test"], skip: null));

        // Then
        Assert.Contains("Test refers to a target that is not a Target property", error.Message);
    }
}
