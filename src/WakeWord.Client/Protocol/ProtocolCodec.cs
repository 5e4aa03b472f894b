using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace WakeWord.Client.Protocol;

/// <summary>
/// Turns messages into lines (UTF-8 JSON + '\n') and lines into messages. Decoding never throws on bad input: it
/// returns false with an <see cref="ErrorMessage"/> that says what was wrong, so a server can answer and carry on.
/// </summary>
public static class ProtocolCodec
{
    // Relaxed escaping: the lines are read by programs and people on this machine, never embedded in HTML, so "+" and
    // "'" stay readable instead of becoming \u002B and \u0027. Still valid JSON.
    private static readonly ProtocolJsonContext Context = new(new JsonSerializerOptions(ProtocolJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>One line for the wire, newline included.</summary>
    public static byte[] EncodeLine(ServerMessage message) => message switch
    {
        HelloMessage m => Line(m, Context.HelloMessage),
        WakeEventMessage m => Line(m, Context.WakeEventMessage),
        StatusEvent m => Line(m, Context.StatusEvent),
        HeartbeatMessage m => Line(m, Context.HeartbeatMessage),
        PongMessage m => Line(m, Context.PongMessage),
        AckMessage m => Line(m, Context.AckMessage),
        ErrorMessage m => Line(m, Context.ErrorMessage),
        ServiceStatusMessage m => Line(m, Context.ServiceStatusMessage),
        _ => throw new ArgumentException($"Cannot encode message type '{message.Type}'.", nameof(message)),
    };

    /// <summary>One line for the wire, newline included.</summary>
    public static byte[] EncodeLine(ClientCommand command) => command switch
    {
        PingCommand c => Line(c, Context.PingCommand),
        PauseCommand c => Line(c, Context.PauseCommand),
        ResumeCommand c => Line(c, Context.ResumeCommand),
        SubscribeCommand c => Line(c, Context.SubscribeCommand),
        StatusCommand c => Line(c, Context.StatusCommand),
        _ => throw new ArgumentException($"Cannot encode command type '{command.Type}'.", nameof(command)),
    };

    /// <summary>Reads a command line (without its newline).</summary>
    public static bool TryDecodeCommand(ReadOnlySpan<byte> line, out ClientCommand? command, out ErrorMessage? error)
    {
        command = null;
        if (!TryReadHeader(line, out string? type, out string? id, out error))
        {
            return false;
        }

        try
        {
            command = type switch
            {
                MessageTypes.Ping => JsonSerializer.Deserialize(line, Context.PingCommand),
                MessageTypes.Pause => JsonSerializer.Deserialize(line, Context.PauseCommand),
                MessageTypes.Resume => JsonSerializer.Deserialize(line, Context.ResumeCommand),
                MessageTypes.Subscribe => JsonSerializer.Deserialize(line, Context.SubscribeCommand),
                MessageTypes.StatusQuery => JsonSerializer.Deserialize(line, Context.StatusCommand),
                _ => null,
            };
        }
        catch (JsonException e)
        {
            error = new ErrorMessage(ErrorCodes.InvalidArgument, $"Bad '{type}' command: {e.Message}", id);
            return false;
        }

        if (command is null)
        {
            error = new ErrorMessage(ErrorCodes.UnknownCommand,
                $"Unknown command type '{type}'; known: {string.Join(", ", MessageTypes.Commands)}.", id);
            return false;
        }

        if (command is SubscribeCommand { Words: { } words })
        {
            if (words.Count == 0 || words.Any(string.IsNullOrWhiteSpace))
            {
                command = null;
                error = new ErrorMessage(ErrorCodes.InvalidArgument,
                    "subscribe needs a non-empty list of non-empty words in \"words\" (or no \"words\" for all words).", id);
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a server line (without its newline). An unknown "type" gives an <see cref="UnknownMessage"/>.</summary>
    public static bool TryDecodeServer(ReadOnlySpan<byte> line, out ServerMessage? message, out ErrorMessage? error)
    {
        message = null;
        if (!TryReadHeader(line, out string? type, out _, out error))
        {
            return false;
        }

        try
        {
            message = type switch
            {
                MessageTypes.Hello => JsonSerializer.Deserialize(line, Context.HelloMessage),
                MessageTypes.Wake => JsonSerializer.Deserialize(line, Context.WakeEventMessage),
                MessageTypes.Status => JsonSerializer.Deserialize(line, Context.StatusEvent),
                MessageTypes.Heartbeat => JsonSerializer.Deserialize(line, Context.HeartbeatMessage),
                MessageTypes.Pong => JsonSerializer.Deserialize(line, Context.PongMessage),
                MessageTypes.Ack => JsonSerializer.Deserialize(line, Context.AckMessage),
                MessageTypes.Error => JsonSerializer.Deserialize(line, Context.ErrorMessage),
                MessageTypes.ServiceStatus => JsonSerializer.Deserialize(line, Context.ServiceStatusMessage),
                _ => new UnknownMessage(type),
            };
        }
        catch (JsonException e)
        {
            error = new ErrorMessage(ErrorCodes.InvalidArgument, $"Bad '{type}' message: {e.Message}");
            return false;
        }

        return message is not null;
    }

    private static byte[] Line<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        byte[] line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>Checks the line is one JSON object and reads its top-level "type" (required) and "id" (optional) in any order.</summary>
    private static bool TryReadHeader(ReadOnlySpan<byte> line, out string type, out string? id, out ErrorMessage? error)
    {
        type = "";
        id = null;
        error = null;
        string? found = null;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new ErrorMessage(ErrorCodes.MalformedJson, $"Expected one JSON object per line, got: {Preview(line)}");
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isType = reader.ValueTextEquals("type"u8);
                bool isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String)
                {
                    found = reader.GetString();
                }
                else if (isId && reader.TokenType == JsonTokenType.String)
                {
                    id = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            // Reaching here means the object closed; anything after it on the same line is an error.
            if (reader.Read())
            {
                error = new ErrorMessage(ErrorCodes.MalformedJson, "Only one JSON object is allowed per line.", id);
                return false;
            }
        }
        catch (JsonException e)
        {
            error = new ErrorMessage(ErrorCodes.MalformedJson, $"Not valid JSON ({e.Message}): {Preview(line)}", id);
            return false;
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports invalid UTF-8 inside strings this way.
            error = new ErrorMessage(ErrorCodes.MalformedJson, $"Not valid UTF-8 JSON ({e.Message}).", id);
            return false;
        }

        if (string.IsNullOrEmpty(found))
        {
            error = new ErrorMessage(ErrorCodes.MalformedJson, "The object has no string \"type\" field.", id);
            return false;
        }

        type = found;
        return true;
    }

    /// <summary>The start of a bad line for an error message, with control and non-ASCII bytes escaped.</summary>
    private static string Preview(ReadOnlySpan<byte> line)
    {
        const int max = 60;
        var sb = new StringBuilder();
        foreach (byte b in line[..Math.Min(line.Length, max)])
        {
            if (b is >= 0x20 and < 0x7f)
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (line.Length > max)
        {
            sb.Append("...");
        }

        return sb.ToString();
    }
}
