using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>Asks for a <see cref="PongMessage"/>.</summary>
public sealed record PingCommand : ClientCommand
{
    [JsonPropertyOrder(-1)]
    public override string Type => MessageTypes.Ping;
}
