using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>
/// One line a client sends. <see cref="Id"/> is optional and echoed in the answer. The list below is the protocol's list
/// of commands: each line names a command's record and its "type" on the wire, and the codec, the hello's
/// <see cref="MessageTypes.Commands"/> and <see cref="Type"/> all read it, so a new command is its record and one line here.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PingCommand), MessageTypes.Ping)]
[JsonDerivedType(typeof(PauseCommand), MessageTypes.Pause)]
[JsonDerivedType(typeof(ResumeCommand), MessageTypes.Resume)]
[JsonDerivedType(typeof(SubscribeCommand), MessageTypes.Subscribe)]
[JsonDerivedType(typeof(StatusCommand), MessageTypes.StatusQuery)]
public abstract record ClientCommand
{
    /// <summary>The "type" field (written by the codec from the list above, so it is not a JSON property here).</summary>
    [JsonIgnore]
    public string Type => ProtocolCodec.TypeOf(this);

    public string? Id { get; init; }

    /// <summary>What is wrong with the command's arguments beyond their JSON types, or null: the service answers it
    /// with an "invalid_argument" error.</summary>
    public virtual string? Problem() => null;
}
