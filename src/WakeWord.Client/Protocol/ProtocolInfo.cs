namespace WakeWord.Client.Protocol;

/// <summary>Constants of the wake-event protocol (docs/protocol.md).</summary>
public static class ProtocolInfo
{
    /// <summary>Protocol version sent in <see cref="HelloMessage.Protocol"/>; bumped on incompatible changes only.</summary>
    public const int Version = 1;

    /// <summary>Longest command line (bytes, without the newline) the server accepts; a longer one closes the connection.</summary>
    public const int DefaultMaxCommandLineBytes = 4096;

    /// <summary>Longest server line a client accepts (generous: a hello lists every loaded word).</summary>
    public const int MaxServerLineBytes = 64 * 1024;
}
