using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>Stops wake events to this connection (status and heartbeats continue). Per connection: detection and other clients are unaffected.</summary>
public sealed record PauseCommand : ClientCommand
{
    [JsonPropertyOrder(-1)]
    public override string Type => MessageTypes.Pause;
}
