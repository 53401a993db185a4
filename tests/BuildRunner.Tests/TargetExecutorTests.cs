using BuildRunner.Internal;
using static BuildRunner.Tests.Support.HandMadeTargets;

namespace BuildRunner.Tests;

public sealed class TargetExecutorTests
{
    private readonly StringWriter output = new();

    private TargetExecutor Executor(bool verbose = false) =>
        new(new BuildOutput(output, rich: false, githubActions: false, verbose));

    private static TargetStatus[] Statuses(BuildResult result) => [.. result.Targets.Select(t => t.Status)];

    [Fact]
    public async Task After_a_failure_later_targets_do_not_run_but_assured_ones_do()
    {
        // Given
        var ran = new List<string>();
        Target compile = _ => _.Executes(() => throw new InvalidOperationException("compiler crashed"));
        Target test = _ => _.Executes(() => ran.Add("Test"));
        Target stop = _ => _.AssuredAfterFailure().Executes(() => ran.Add("Stop"));
        var plan = Plan(Targets(("Compile", compile), ("Test", test), ("Stop", stop)));

        // When
        var result = await Executor().RunAsync(plan, CancellationToken.None);

        // Then
        Assert.Equal(["Stop"], ran);
        Assert.Equal([TargetStatus.Failed, TargetStatus.NotRun, TargetStatus.Succeeded], Statuses(result));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Compile", result.FirstFailure);
    }

    [Fact]
    public async Task After_cancellation_assured_targets_run_with_a_token_that_is_not_cancelled()
    {
        // Given
        using var cancellation = new CancellationTokenSource();
        var ran = new List<string>();
        bool? cleanupTokenCancelled = null;
        Target startPrimary = _ => _.Executes(async ct =>
        {
            await cancellation.CancelAsync(); // what Ctrl-C does
            await Task.Delay(Timeout.Infinite, ct);
        });
        Target test = _ => _.Executes(() => ran.Add("Test"));
        Target stop = _ => _.AssuredAfterFailure().Executes(ct =>
        {
            cleanupTokenCancelled = ct.IsCancellationRequested;
            ran.Add("Stop");
            return Task.CompletedTask;
        });
        var plan = Plan(Targets(("StartPrimary", startPrimary), ("Test", test), ("Stop", stop)));

        // When
        var result = await Executor().RunAsync(plan, cancellation.Token);

        // Then
        Assert.Equal(["Stop"], ran);
        Assert.False(cleanupTokenCancelled);
        Assert.Equal([TargetStatus.Failed, TargetStatus.NotRun, TargetStatus.Succeeded], Statuses(result));
        Assert.Contains("StartPrimary was cancelled", output.ToString());
    }

    [Fact]
    public async Task Cancellation_between_targets_stops_the_build_without_a_failed_target()
    {
        // Given
        using var cancellation = new CancellationTokenSource();
        Target compile = _ => _.Executes(() => cancellation.Cancel());
        Target test = _ => _.Executes(() => { });
        var plan = Plan(Targets(("Compile", compile), ("Test", test)));

        // When
        var result = await Executor().RunAsync(plan, cancellation.Token);

        // Then
        Assert.Equal([TargetStatus.Succeeded, TargetStatus.NotRun], Statuses(result));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Build failed (cancelled)", SummaryTable.Verdict(result));
    }

    [Fact]
    public async Task OnlyWhen_false_skips_the_target_and_the_build_goes_on()
    {
        // Given
        var ran = new List<string>();
        Target publish = _ => _.OnlyWhen(() => false).Executes(() => ran.Add("Publish"));
        Target notify = _ => _.Executes(() => ran.Add("Notify"));
        var plan = Plan(Targets(("Publish", publish), ("Notify", notify)));

        // When
        var result = await Executor().RunAsync(plan, CancellationToken.None);

        // Then
        Assert.Equal(["Notify"], ran);
        Assert.Equal([TargetStatus.Skipped, TargetStatus.Succeeded], Statuses(result));
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task OnlyWhen_is_evaluated_right_before_the_target_runs()
    {
        // Given: the condition only becomes true while an earlier target runs
        var imageBuilt = false;
        var ran = new List<string>();
        Target buildImage = _ => _.Executes(() => imageBuilt = true);
        Target push = _ => _.OnlyWhen(() => imageBuilt).Executes(() => ran.Add("Push"));
        var plan = Plan(Targets(("BuildImage", buildImage), ("Push", push)));

        // When
        await Executor().RunAsync(plan, CancellationToken.None);

        // Then
        Assert.Equal(["Push"], ran);
    }

    [Fact]
    public async Task Several_Executes_run_in_order_whatever_their_overload()
    {
        // Given
        var steps = new List<string>();
        Target test = _ => _
            .Executes(() => steps.Add("action"))
            .Executes(async () =>
            {
                await Task.Yield();
                steps.Add("task");
            })
            .Executes(async ct =>
            {
                await Task.Delay(1, ct);
                steps.Add("cancellable");
            });

        // When
        await Executor().RunAsync(Plan(Targets(("Test", test))), CancellationToken.None);

        // Then
        Assert.Equal(["action", "task", "cancellable"], steps);
    }

    [Fact]
    public async Task Skipped_plan_entries_are_not_run()
    {
        // Given
        var ran = false;
        Target buildImage = _ => _.Executes(() => ran = true);
        var plan = new[] { new PlannedTarget(Targets(("BuildImage", buildImage))[0], Skipped: true) };

        // When
        var result = await Executor().RunAsync(plan, CancellationToken.None);

        // Then
        Assert.False(ran);
        Assert.Equal([TargetStatus.Skipped], Statuses(result));
    }

    [Fact]
    public async Task A_BuildFailedException_prints_only_its_message()
    {
        // Given
        Target test = _ => _.Executes(() => throw new BuildFailedException("standby-1 never caught up"));

        // When
        await Executor().RunAsync(Plan(Targets(("Test", test))), CancellationToken.None);

        // Then
        Assert.Contains("error: Test failed: standby-1 never caught up", output.ToString());
        Assert.DoesNotContain("BuildFailedException", output.ToString());
    }

    [Fact]
    public async Task Other_exceptions_print_message_and_type_and_the_stack_only_when_verbose()
    {
        // Given
        Target test = _ => _.Executes(() => throw new InvalidOperationException("socket closed"));
        var quiet = new StringWriter();
        var definitions = Plan(Targets(("Test", test)));

        // When
        await new TargetExecutor(new BuildOutput(quiet, false, false, verbose: false)).RunAsync(definitions, CancellationToken.None);
        await Executor(verbose: true).RunAsync(definitions, CancellationToken.None);

        // Then
        Assert.Contains("Test failed: socket closed (InvalidOperationException)", quiet.ToString());
        Assert.DoesNotContain(" at ", quiet.ToString());
        Assert.Contains(" at ", output.ToString());
    }
}
