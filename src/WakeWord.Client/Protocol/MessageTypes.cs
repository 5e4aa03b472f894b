namespace WakeWord.Client.Protocol;

/// <summary>Values of the "type" field.</summary>
public static class MessageTypes
{
    public const string Hello = "hello";
    public const string Wake = "wake";
    public const string Status = "status";
    public const string Heartbeat = "heartbeat";
    public const string Pong = "pong";
    public const string Ack = "ack";
    public const string Error = "error";
    public const string ServiceStatus = "service_status";

    public const string Ping = "ping";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Subscribe = "subscribe";

    /// <summary>The command asking for a <see cref="ServiceStatus"/> answer (commands and server messages are read apart, so it shares "status" with the status event).</summary>
    public const string StatusQuery = "status";

    /// <summary>The commands this version serves, as the hello lists them: <see cref="ClientCommand"/>'s list.</summary>
    public static IReadOnlyList<string> Commands => ProtocolCodec.CommandTypes;
}
