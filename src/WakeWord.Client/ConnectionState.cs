namespace WakeWord.Client;

/// <summary>Where a <see cref="WakeWordClient"/> stands.</summary>
public enum ConnectionState { Disconnected, Connecting, Connected, Closed }
