namespace WakeWord.Client.Protocol;

/// <summary>Answer to <see cref="StatusCommand"/>: the running service as it is now.</summary>
/// <param name="Id">The command's id, echoed.</param>
/// <param name="Time">UTC time on the service.</param>
/// <param name="ServiceVersion">Version of the service binary.</param>
/// <param name="Started">UTC time the service started.</param>
/// <param name="UptimeS">Seconds since <paramref name="Started"/>.</param>
/// <param name="Source">The audio source's state.</param>
/// <param name="Models">The models running now, with the detector settings in force.</param>
/// <param name="AudioProcessedS">Seconds of audio the models have scored since start.</param>
/// <param name="Events">Wake events since start, by word (words without events are left out).</param>
/// <param name="LastEvent">The latest wake event; null before the first.</param>
/// <param name="Clients">Event pipe connections now, this one included.</param>
/// <param name="Dropped">Lines dropped for clients too slow to read them, since start.</param>
/// <param name="Process">The process's memory, collections, threads and handles; null from a service older than this field.</param>
public sealed record ServiceStatusMessage(
    string? Id,
    DateTimeOffset Time,
    string ServiceVersion,
    DateTimeOffset Started,
    double UptimeS,
    SourceStatus Source,
    IReadOnlyList<ModelStatus> Models,
    double AudioProcessedS,
    IReadOnlyDictionary<string, long> Events,
    LastWake? LastEvent,
    int Clients,
    long Dropped,
    ProcessStatus? Process = null) : ServerMessage;
