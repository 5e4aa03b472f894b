namespace WakeWord.Service.Hub;

/// <summary>
/// The event pipe's figures that the meter and `wakeword status` show: written by the pipe server, read by anyone, so
/// neither reader holds the server.
/// </summary>
public sealed class PipeCounters
{
    private int _clients;
    private long _droppedLines;

    /// <summary>Clients connected now.</summary>
    public int Clients => Volatile.Read(ref _clients);

    /// <summary>Lines dropped for clients too slow to read them (full queues) since start, those that have left included.</summary>
    public long DroppedLines => Interlocked.Read(ref _droppedLines);

    internal void ClientJoined() => Interlocked.Increment(ref _clients);

    internal void ClientLeft() => Interlocked.Decrement(ref _clients);

    internal void LineDropped() => Interlocked.Increment(ref _droppedLines);
}
