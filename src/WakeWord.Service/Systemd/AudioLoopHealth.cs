namespace WakeWord.Service.Systemd;

/// <summary>
/// The watchdog's view of the audio loop. Hung: one chunk has been in the pipeline longer than the limit, or a
/// microphone that is listening has delivered nothing for that long (it delivers a chunk every ~100 ms). A file or
/// stdin source waiting for data is idle, not hung, and so is a microphone waiting for its device: restarting would
/// not help them. The audio thread's calls are two timestamp reads and writes: nothing allocated.
/// </summary>
public sealed class AudioLoopHealth(TimeProvider time)
{
    private long _processingSince; // 0: not inside the pipeline
    private long _lastChunk;
    private int _expectingAudio;   // 1 while a live source says it is listening

    /// <summary>The audio thread got a chunk and hands it to the pipeline.</summary>
    public void ChunkStarted()
    {
        long now = time.GetTimestamp();
        Volatile.Write(ref _lastChunk, now);
        Volatile.Write(ref _processingSince, now);
    }

    /// <summary>The pipeline is done with the chunk: how long it took (zero when no chunk was in it).</summary>
    public TimeSpan ChunkDone()
    {
        long since = Interlocked.Exchange(ref _processingSince, 0);
        return since == 0 ? TimeSpan.Zero : time.GetElapsedTime(since);
    }

    /// <summary>A live source started (true) or stopped (false) delivering audio continuously.</summary>
    public void ExpectAudio(bool expecting)
    {
        Volatile.Write(ref _lastChunk, time.GetTimestamp());
        Volatile.Write(ref _expectingAudio, expecting ? 1 : 0);
    }

    /// <summary>What is hung, or null when the loop is healthy.</summary>
    public string? Hung(TimeSpan limit)
    {
        long since = Volatile.Read(ref _processingSince);
        if (since != 0 && time.GetElapsedTime(since) is TimeSpan busy && busy > limit)
        {
            return $"one audio chunk has been in the pipeline for {busy.TotalSeconds:F1} s";
        }

        if (Volatile.Read(ref _expectingAudio) == 1 && time.GetElapsedTime(Volatile.Read(ref _lastChunk)) is TimeSpan quiet && quiet > limit)
        {
            return $"the microphone says it is listening but has delivered no audio for {quiet.TotalSeconds:F1} s";
        }

        return null;
    }
}
