namespace WakeWord.Client.Protocol;

/// <summary>The audio source in a <see cref="ServiceStatusMessage"/>.</summary>
/// <param name="State">"listening", "device_missing", "device_lost", "device_back" or "ended" (as in status events), or "starting" before the source has reported.</param>
/// <param name="Listening">Whether audio is arriving now (false while the service waits for its device).</param>
/// <param name="Message">The source's last message, e.g. "listening on alsa:default".</param>
/// <param name="Since">UTC time of the source's last change; null while starting.</param>
public sealed record SourceStatus(string State, bool Listening, string Message, DateTimeOffset? Since);
