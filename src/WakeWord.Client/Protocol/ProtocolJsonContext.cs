using System.Text.Json.Serialization;

namespace WakeWord.Client.Protocol;

/// <summary>
/// Source-generated serializers (no reflection, trimming-safe) with the protocol's snake_case names. The two roots
/// bring every command and server line with them (their lists are on <see cref="ClientCommand"/> and
/// <see cref="ServerMessage"/>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ClientCommand))]
[JsonSerializable(typeof(ServerMessage))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext
{
}
