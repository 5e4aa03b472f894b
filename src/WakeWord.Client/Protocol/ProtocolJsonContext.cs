using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>Source-generated serializers (no reflection, trimming-safe) with the protocol's snake_case names.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(HelloMessage))]
[JsonSerializable(typeof(WakeEventMessage))]
[JsonSerializable(typeof(StatusEvent))]
[JsonSerializable(typeof(HeartbeatMessage))]
[JsonSerializable(typeof(PongMessage))]
[JsonSerializable(typeof(AckMessage))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(PingCommand))]
[JsonSerializable(typeof(PauseCommand))]
[JsonSerializable(typeof(ResumeCommand))]
[JsonSerializable(typeof(SubscribeCommand))]
[JsonSerializable(typeof(StatusCommand))]
[JsonSerializable(typeof(ServiceStatusMessage))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext
{
}
