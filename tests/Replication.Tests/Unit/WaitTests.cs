using System.Diagnostics;
using PostgresReplication;

namespace Replication.Tests.Unit;

public sealed class WaitTests
{
    [Fact]
    public async Task Returns_the_value_once_the_condition_holds()
    {
        var polls = 0;

        var value = await Wait.UntilAsync(
            "the third poll",
            _ => Task.FromResult(++polls == 3 ? Probe<string>.Done("ready") : Probe<string>.NotYet($"poll {polls}")),
            TimeSpan.FromSeconds(5),
            CancellationToken.None);

        Assert.Equal("ready", value);
        Assert.Equal(3, polls);
    }

    [Fact]
    public async Task The_timeout_says_what_was_expected_and_what_was_last_seen()
    {
        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "standby-1 to stream from primary",
            _ => Task.FromResult(Probe<bool>.NotYet("state 'catchup'")),
            TimeSpan.FromMilliseconds(200),
            CancellationToken.None));

        Assert.Equal(
            "Timed out after 0.2 s waiting for standby-1 to stream from primary; last seen: state 'catchup'",
            error.Message);
    }

    [Fact]
    public async Task A_probe_error_is_what_was_last_seen()
    {
        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "primary to accept connections",
            _ => throw new InvalidOperationException("connection refused"),
            TimeSpan.FromMilliseconds(150),
            CancellationToken.None));

        Assert.Equal("connection refused", error.LastSeen);
    }

    [Fact]
    public async Task A_value_the_client_cannot_convert_fails_the_wait_at_once()
    {
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<InvalidCastException>(() => Wait.UntilAsync<bool>(
            "standby-1 to replay up to 0/3000000",
            _ => throw new InvalidCastException("Writing values of 'NpgsqlTypes.NpgsqlLogSequenceNumber' is not supported"),
            TimeSpan.FromSeconds(30),
            CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_probe_that_hangs_is_cut_off_at_the_deadline()
    {
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "a probe that never answers",
            async token =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return Probe<bool>.Done(true);
            },
            TimeSpan.FromMilliseconds(200),
            CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_abort_stops_the_wait_at_once()
    {
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ContainerExitedException>(() => Wait.UntilAsync<bool>(
            "standby-1 to accept connections",
            _ => throw new ContainerExitedException("standby-1", 1, ["FATAL: password authentication failed"]),
            TimeSpan.FromSeconds(30),
            CancellationToken.None));

        Assert.Equal("standby-1 exited with code 1: FATAL: password authentication failed", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_a_timeout()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.UntilAsync(
            "something that never happens",
            _ => Task.FromResult(Probe<bool>.NotYet("not yet")),
            TimeSpan.FromSeconds(30),
            cancel.Token));
    }
}
