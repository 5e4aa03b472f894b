using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>Asks for a <see cref="ServiceStatusMessage"/>: how the service is doing now.</summary>
public sealed record StatusCommand : ClientCommand
{
    [JsonPropertyOrder(-1)]
    public override string Type => MessageTypes.StatusQuery;
}
