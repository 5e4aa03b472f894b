using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>One line the service sends. <see cref="Type"/> is the JSON "type" field and always comes first on the wire.</summary>
public abstract record ServerMessage
{
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }
}
