namespace WakeWord.Client.Protocol;

/// <summary>Answer to <see cref="PingCommand"/>.</summary>
/// <param name="Id">The ping's id, echoed.</param>
/// <param name="Time">UTC time on the service.</param>
public sealed record PongMessage(string? Id, DateTimeOffset Time) : ServerMessage;
