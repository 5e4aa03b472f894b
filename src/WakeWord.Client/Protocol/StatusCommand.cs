namespace WakeWord.Client.Protocol;

/// <summary>Asks for a <see cref="ServiceStatusMessage"/>: how the service is doing now.</summary>
public sealed record StatusCommand : ClientCommand;
