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

    // The commands and the server lines as the wire names them, from the lists on their roots.
    private static readonly WireTypeList Commands = new(Context.ClientCommand, Context.Options);
    private static readonly WireTypeList Messages = new(Context.ServerMessage, Context.Options);

    /// <summary>The "type" of every command, in the order of <see cref="ClientCommand"/>'s list.</summary>
    internal static IReadOnlyList<string> CommandTypes => Commands.Names;

    /// <summary>One line for the wire, newline included.</summary>
    public static byte[] EncodeLine(ServerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Messages.NameOf(message.GetType()) is null
            ? throw new ArgumentException($"Cannot encode message type '{message.Type}'.", nameof(message))
            : Line(message, Context.ServerMessage);
    }

    /// <summary>One line for the wire, newline included.</summary>
    public static byte[] EncodeLine(ClientCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Commands.NameOf(command.GetType()) is null
            ? throw new ArgumentException($"Cannot encode command type '{command.GetType().Name}'.", nameof(command))
            : Line(command, Context.ClientCommand);
    }

    /// <summary>Reads a command line (without its newline).</summary>
    public static bool TryDecodeCommand(ReadOnlySpan<byte> line, out ClientCommand? command, out ErrorMessage? error)
    {
        command = null;
        if (!TryReadHeader(line, out string? type, out string? id, out error))
        {
            return false;
        }

        if (!Commands.TryGet(type, out JsonTypeInfo? typeInfo))
        {
            error = new ErrorMessage(ErrorCodes.UnknownCommand,
                $"Unknown command type '{type}'; known: {string.Join(", ", Commands.Names)}.", id);
            return false;
        }

        try
        {
            command = (ClientCommand?)JsonSerializer.Deserialize(line, typeInfo);
        }
        catch (JsonException e)
        {
            error = new ErrorMessage(ErrorCodes.InvalidArgument, $"Bad '{type}' command: {e.Message}", id);
            return false;
        }

        if (command?.Problem() is string problem)
        {
            command = null;
            error = new ErrorMessage(ErrorCodes.InvalidArgument, problem, id);
            return false;
        }

        return command is not null;
    }

    /// <summary>Reads a server line (without its newline). An unknown "type" gives an <see cref="UnknownMessage"/>.</summary>
    public static bool TryDecodeServer(ReadOnlySpan<byte> line, out ServerMessage? message, out ErrorMessage? error)
    {
        message = null;
        if (!TryReadHeader(line, out string? type, out _, out error))
        {
            return false;
        }

        if (!Messages.TryGet(type, out JsonTypeInfo? typeInfo))
        {
            message = new UnknownMessage(type);
            return true;
        }

        try
        {
            message = (ServerMessage?)JsonSerializer.Deserialize(line, typeInfo);
        }
        catch (JsonException e)
        {
            error = new ErrorMessage(ErrorCodes.InvalidArgument, $"Bad '{type}' message: {e.Message}");
            return false;
        }

        return message is not null;
    }

    /// <summary>The "type" of a command: from <see cref="ClientCommand"/>'s list.</summary>
    internal static string TypeOf(ClientCommand command) =>
        Commands.NameOf(command.GetType()) ?? throw new InvalidOperationException($"{command.GetType().Name} is not on ClientCommand's list of commands.");

    /// <summary>The "type" of a server line: from <see cref="ServerMessage"/>'s list.</summary>
    internal static string TypeOf(ServerMessage message) =>
        Messages.NameOf(message.GetType()) ?? throw new InvalidOperationException($"{message.GetType().Name} is not on ServerMessage's list of lines.");

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
