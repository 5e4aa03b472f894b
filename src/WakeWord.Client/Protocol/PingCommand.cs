namespace WakeWord.Client.Protocol;

/// <summary>Asks for a <see cref="PongMessage"/>.</summary>
public sealed record PingCommand : ClientCommand;
