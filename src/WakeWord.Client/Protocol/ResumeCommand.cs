using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>Undoes <see cref="PauseCommand"/> for this connection.</summary>
public sealed record ResumeCommand : ClientCommand
{
    [JsonPropertyOrder(-1)]
    public override string Type => MessageTypes.Resume;
}
