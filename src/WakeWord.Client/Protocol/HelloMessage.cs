namespace WakeWord.Client.Protocol;

/// <summary>First line on every connection.</summary>
/// <param name="Protocol">Protocol version (<see cref="ProtocolInfo.Version"/>).</param>
/// <param name="ServiceVersion">Version of the service binary.</param>
/// <param name="Words">Wake words of the loaded models.</param>
/// <param name="HeartbeatIntervalMs">How often the service sends a heartbeat; a client may assume the service is gone after a few missed ones.</param>
/// <param name="MaxLineBytes">Longest command line the service accepts.</param>
public sealed record HelloMessage(int Protocol, string ServiceVersion, IReadOnlyList<string> Words, int HeartbeatIntervalMs, int MaxLineBytes) : ServerMessage
{
    /// <summary>The commands the service serves (a newer service may add some without a new protocol version; null from
    /// services older than the "status" command).</summary>
    public IReadOnlyList<string>? Commands { get; init; }
}
