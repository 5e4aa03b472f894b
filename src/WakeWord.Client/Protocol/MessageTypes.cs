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

    public const string Ping = "ping";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Subscribe = "subscribe";
}
