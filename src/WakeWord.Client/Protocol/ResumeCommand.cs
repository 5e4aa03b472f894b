namespace WakeWord.Client.Protocol;

/// <summary>Undoes <see cref="PauseCommand"/> for this connection.</summary>
public sealed record ResumeCommand : ClientCommand;
