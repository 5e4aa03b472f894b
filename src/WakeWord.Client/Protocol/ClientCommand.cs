using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>One line a client sends. <see cref="Id"/> is optional and echoed in the answer.</summary>
public abstract record ClientCommand
{
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }

    public string? Id { get; init; }
}
