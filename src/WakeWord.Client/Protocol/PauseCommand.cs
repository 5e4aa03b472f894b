namespace WakeWord.Client.Protocol;

/// <summary>Stops wake events to this connection (status and heartbeats continue). Per connection: detection and other clients are unaffected.</summary>
public sealed record PauseCommand : ClientCommand;
