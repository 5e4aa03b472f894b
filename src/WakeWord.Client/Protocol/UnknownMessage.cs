using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>A server line with a "type" this client version does not know (a newer service); clients ignore it.</summary>
public sealed record UnknownMessage(string MessageType) : ServerMessage
{
    [JsonIgnore]
    public override string Type => MessageType;
}
