namespace WakeWord.Client.Protocol;

/// <summary>The service's audio input or model set changed.</summary>
/// <param name="Status">One of <see cref="StatusKinds"/> ("listening", "device_lost", "device_back", "model_reloaded").</param>
/// <param name="Message">Human-readable detail for logs.</param>
/// <param name="Time">UTC time of the change.</param>
/// <param name="Words">The loaded wake words after a "model_reloaded"; null otherwise.</param>
public sealed record StatusEvent(string Status, string Message, DateTimeOffset Time, IReadOnlyList<string>? Words = null) : ServerMessage;
