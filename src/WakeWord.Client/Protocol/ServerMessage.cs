using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>
/// One line the service sends. <see cref="Type"/> is the JSON "type" field and always comes first on the wire. The list
/// below is the protocol's list of server lines, read by the codec: a new one is its record and one line here.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HelloMessage), MessageTypes.Hello)]
[JsonDerivedType(typeof(WakeEventMessage), MessageTypes.Wake)]
[JsonDerivedType(typeof(StatusEvent), MessageTypes.Status)]
[JsonDerivedType(typeof(HeartbeatMessage), MessageTypes.Heartbeat)]
[JsonDerivedType(typeof(PongMessage), MessageTypes.Pong)]
[JsonDerivedType(typeof(AckMessage), MessageTypes.Ack)]
[JsonDerivedType(typeof(ErrorMessage), MessageTypes.Error)]
[JsonDerivedType(typeof(ServiceStatusMessage), MessageTypes.ServiceStatus)]
public abstract record ServerMessage
{
    /// <summary>The "type" field (written by the codec from the list above, so it is not a JSON property here).</summary>
    [JsonIgnore]
    public virtual string Type => ProtocolCodec.TypeOf(this);
}
