namespace PostgresReplication.Benchmarks.Tests;

public sealed class ProcessTreeTests
{
    [Fact]
    public void A_stat_line_gives_pid_command_state_and_parent_even_with_spaces_and_parentheses_in_the_command()
    {
        // Given, When
        var stat = ProcessTree.Parse("4242 (my (odd) cmd) S 4200 4242 4242 0 -1 4194560 1 0 0 0");

        // Then
        Assert.Equal(new ProcessTree.Stat(4242, "my (odd) cmd", 'S', 4200), stat);
    }

    [Fact]
    public void A_malformed_stat_line_gives_nothing()
    {
        // Given, When, Then
        Assert.Null(ProcessTree.Parse("garbage"));
        Assert.Null(ProcessTree.Parse("12 (postgres)"));
    }

    [Fact]
    public void The_postmaster_is_found_below_the_containers_init_before_its_own_children()
    {
        // Given: the engine's State.Pid is an init (100) whose child is the postmaster (101) with two backends
        ProcessTree.Stat[] all =
        [
            new(102, "postgres", 'S', 101),
            new(103, "postgres", 'S', 101),
            new(101, "postgres", 'S', 100),
            new(100, "tini", 'S', 1),
            new(200, "postgres", 'S', 1),
        ];

        // When
        var postmaster = ProcessTree.FindAtOrBelow(all, rootPid: 100, "postgres");

        // Then
        Assert.Equal(101, postmaster);
    }

    [Fact]
    public void A_root_that_is_the_postmaster_itself_is_found()
    {
        // Given
        ProcessTree.Stat[] all = [new(100, "postgres", 'S', 1), new(101, "postgres", 'S', 100)];

        // When, Then
        Assert.Equal(100, ProcessTree.FindAtOrBelow(all, 100, "postgres"));
        Assert.Null(ProcessTree.FindAtOrBelow(all, 999, "postgres"));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData('Z', true)]
    [InlineData('X', true)]
    [InlineData('S', false)]
    [InlineData('R', false)]
    [InlineData('D', false)]
    public void A_process_is_gone_when_it_has_no_entry_or_is_a_zombie(char? state, bool gone)
    {
        // Given, When, Then
        Assert.Equal(gone, PostmasterKill.IsGone(state));
    }
}
