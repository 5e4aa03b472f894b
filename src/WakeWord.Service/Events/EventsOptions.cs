namespace WakeWord.Service.Events;

/// <summary>The "Events" section of appsettings.json: the wake-event pipe (docs/protocol.md).</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Events";

    /// <summary>Serve the pipe at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Unix: absolute socket path (used as is), or a bare name that .NET places in the temp directory (which differs under
    /// systemd's PrivateTmp, so prefer a path). Windows: the pipe name. Empty: <see cref="WakeWord.Client.PipeLocations.ServiceDefault"/>.
    /// </summary>
    public string? PipeName { get; set; }

    /// <summary>
    /// Group whose members may connect (Unix: group of the socket and of the folder the service creates for it; Windows:
    /// a local or domain group given read/write on the pipe). Empty: only the service's own account (and root).
    /// </summary>
    public string? Group { get; set; }

    /// <summary>Seconds between heartbeats on every connection.</summary>
    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>Lines queued per client before the oldest are dropped (and counted).</summary>
    public int QueueCapacity { get; set; } = 64;

    /// <summary>Longest command line a client may send; a longer one gets an error and the connection is closed.</summary>
    public int MaxLineBytes { get; set; } = WakeWord.Client.Protocol.ProtocolInfo.DefaultMaxCommandLineBytes;

    /// <summary>A write to a client that takes longer than this closes that client (it stopped reading or is half-open).</summary>
    public double WriteTimeoutSeconds { get; set; } = 10;

    /// <summary>Most clients at once; more get a "too_many_clients" error and are closed.</summary>
    public int MaxClients { get; set; } = 64;

    /// <summary>The pipe name or socket path to serve (the configured one or the default).</summary>
    public string ResolvePipePath() =>
        string.IsNullOrWhiteSpace(PipeName) ? WakeWord.Client.PipeLocations.ServiceDefault() : PipeName.Trim();
}
