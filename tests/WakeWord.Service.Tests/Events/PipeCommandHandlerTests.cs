using Microsoft.Extensions.Time.Testing;
using WakeWord.Client.Protocol;
using WakeWord.Service.Events;

namespace WakeWord.Service.Tests.Events;

/// <summary>The service's answers to commands, without a pipe: what a new command's case is tested like.</summary>
public sealed class PipeCommandHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly PipeCommandHandler _handler = new(new FakeTimeProvider(Now), status: null);
    private readonly ClientSubscription _subscription = new();

    [Fact]
    public void Ping_is_answered_with_the_clock_and_its_id()
    {
        Assert.Equal(new PongMessage("p", Now), _handler.Answer(new PingCommand { Id = "p" }, _subscription));
    }

    [Fact]
    public void Pause_resume_and_subscribe_change_the_subscription_and_are_acked_with_it()
    {
        AckMessage paused = Assert.IsType<AckMessage>(_handler.Answer(new PauseCommand { Id = "1" }, _subscription));
        Assert.Equal(("pause", "1", true, (IReadOnlyList<string>?)null), (paused.Command, paused.Id, paused.Paused, paused.Words));
        Assert.False(_subscription.Wants("computer"));

        _handler.Answer(new ResumeCommand(), _subscription);
        AckMessage chosen = Assert.IsType<AckMessage>(_handler.Answer(new SubscribeCommand(["jarvis", "computer"]), _subscription));

        Assert.Equal(["computer", "jarvis"], chosen.Words);
        Assert.False(chosen.Paused);
        Assert.True(_subscription.Wants("computer"));
        Assert.False(_subscription.Wants("activate"));
    }

    [Fact]
    public void Status_without_a_board_is_unavailable()
    {
        ErrorMessage error = Assert.IsType<ErrorMessage>(_handler.Answer(new StatusCommand { Id = "s" }, _subscription));
        Assert.Equal((ErrorCodes.Unavailable, "s"), (error.Code, error.Id));
    }
}
