namespace WakeWord.Client.Protocol;

/// <summary>Confirms pause, resume or subscribe, with this connection's state after the command.</summary>
/// <param name="Command">The command's type ("pause", "resume", "subscribe").</param>
/// <param name="Id">The command's id, echoed.</param>
/// <param name="Paused">Whether this connection is paused now.</param>
/// <param name="Words">The words this connection receives; null means all words.</param>
public sealed record AckMessage(string Command, string? Id, bool Paused, IReadOnlyList<string>? Words) : ServerMessage;
