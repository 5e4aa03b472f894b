using WakeWord.Client.Protocol;
using WakeWord.Service.Status;

namespace WakeWord.Service.Events;

/// <summary>
/// Answers a client's commands: the service's side of each command on <see cref="ClientCommand"/>'s list, one case
/// each. A command that changes only the connection's <see cref="ClientSubscription"/> is answered with an ack.
/// </summary>
/// <param name="status">The status board; null where the server runs without the detection service (tests).</param>
internal sealed class PipeCommandHandler(TimeProvider time, ServiceStatusBoard? status)
{
    public ServerMessage Answer(ClientCommand command, ClientSubscription subscription)
    {
        switch (command)
        {
            case PingCommand:
                return new PongMessage(command.Id, time.GetUtcNow());
            case StatusCommand:
                return status is { } board
                    ? board.Snapshot(command.Id)
                    : new ErrorMessage(ErrorCodes.Unavailable, "This server keeps no service status (it runs without the detection service).", command.Id);
            case PauseCommand:
                subscription.Paused = true;
                break;
            case ResumeCommand:
                subscription.Paused = false;
                break;
            case SubscribeCommand subscribe:
                subscription.Choose(subscribe.Words);
                break;
        }

        return subscription.Ack(command);
    }
}
