using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>Chooses which words' wake events this connection receives. Null (or absent) means all words; an empty list is an error.</summary>
public sealed record SubscribeCommand(IReadOnlyList<string>? Words) : ClientCommand
{
    [JsonPropertyOrder(-1)]
    public override string Type => MessageTypes.Subscribe;
}
