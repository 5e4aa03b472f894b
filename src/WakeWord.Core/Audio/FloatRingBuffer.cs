namespace WakeWord.Core.Audio;

/// <summary>
/// A bounded single-producer/single-consumer ring of float samples, for a capture thread (the writer) and a reader
/// thread. It allocates only in the constructor. When the ring is full, a write keeps what fits and drops the rest of its
/// own samples (the newest), counting them in <see cref="DroppedSamples"/>: the writer cannot move the reader's index
/// without a lock, and keeping the older audio means the reader sees a gap at one place instead of a torn stretch.
/// </summary>
/// <remarks>
/// Exactly one thread may call the writer members (<see cref="Write"/>, <see cref="Complete"/>) and exactly one thread the
/// reader members (<see cref="Read(Span{float})"/>, <see cref="Read(Span{float}, TimeSpan, CancellationToken)"/>,
/// <see cref="Clear"/>). The positions are monotonically growing 64-bit counters published with volatile writes, so no
/// lock is taken on the data path.
/// </remarks>
public sealed class FloatRingBuffer : IDisposable
{
    private readonly float[] _buffer;
    // No spinning: audio comes in 10-100 ms chunks, so a spin before blocking only burns CPU. It also makes the first
    // empty read really block, so the event's one lazy allocation (its lock object) happens then, in warm-up, and not
    // whenever load first makes a spin come up short (seen under two CPU hogs as 24 bytes in a steady-state test).
    private readonly ManualResetEventSlim _dataAvailable = new(false, spinCount: 0);
    private long _writePosition; // total samples ever written; only the writer changes it
    private long _readPosition;  // total samples ever read; only the reader changes it
    private long _droppedSamples;
    private long _overruns;
    private volatile bool _completed;

    /// <param name="capacity">Samples the ring holds, at least 1 (e.g. 16000 * 2 for two seconds at 16 kHz).</param>
    public FloatRingBuffer(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"Ring buffer capacity must be at least 1 sample, got {capacity}.");
        }

        _buffer = new float[capacity];
    }

    /// <summary>Samples waiting to be read (a snapshot; either side may move it right after).</summary>
    public int Count
    {
        get
        {
            // From the writer or the reader the difference is always in [0, capacity]; the clamp covers a third thread
            // (metrics) that reads both while they move.
            long write = Volatile.Read(ref _writePosition);
            long read = Volatile.Read(ref _readPosition);
            return (int)Math.Clamp(write - read, 0, _buffer.Length);
        }
    }

    /// <summary>Room left for the writer (a snapshot; it only grows until the writer writes again).</summary>
    public int FreeSpace => _buffer.Length - Count;

    /// <summary>Samples the writer had to drop because the ring was full.</summary>
    public long DroppedSamples => Interlocked.Read(ref _droppedSamples);

    /// <summary>Writes that dropped at least one sample.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>True once the writer called <see cref="Complete"/>: reads drain what is left, then return 0.</summary>
    public bool IsCompleted => _completed;

    /// <summary>Writer side. Copies as many samples as fit; the rest are dropped and counted. Returns how many were kept.</summary>
    public int Write(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        long write = _writePosition;
        long read = Volatile.Read(ref _readPosition);
        int free = _buffer.Length - (int)(write - read);
        int toWrite = Math.Min(free, samples.Length);
        if (toWrite < samples.Length)
        {
            Interlocked.Add(ref _droppedSamples, samples.Length - toWrite);
            Interlocked.Increment(ref _overruns);
        }

        if (toWrite > 0)
        {
            int start = (int)(write % _buffer.Length);
            int first = Math.Min(toWrite, _buffer.Length - start);
            samples[..first].CopyTo(_buffer.AsSpan(start, first));
            samples.Slice(first, toWrite - first).CopyTo(_buffer.AsSpan(0, toWrite - first));

            // Publish after the copy so the reader never sees a position ahead of the data.
            Volatile.Write(ref _writePosition, write + toWrite);
            _dataAvailable.Set();
        }

        return toWrite;
    }

    /// <summary>Writer side: no more samples will come (end of a stream, capture stopped). Wakes a blocked reader.</summary>
    public void Complete()
    {
        _completed = true;
        _dataAvailable.Set();
    }

    /// <summary>Reader side, non-blocking. Copies up to <paramref name="destination"/>.Length samples; returns how many (0 when empty).</summary>
    public int Read(Span<float> destination)
    {
        long read = _readPosition;
        long write = Volatile.Read(ref _writePosition);
        int toRead = (int)Math.Min(write - read, destination.Length);
        if (toRead <= 0)
        {
            return 0;
        }

        int start = (int)(read % _buffer.Length);
        int first = Math.Min(toRead, _buffer.Length - start);
        _buffer.AsSpan(start, first).CopyTo(destination);
        _buffer.AsSpan(0, toRead - first).CopyTo(destination[first..]);

        // Publish after the copy so the writer never overwrites samples still being copied out.
        Volatile.Write(ref _readPosition, read + toRead);
        return toRead;
    }

    /// <summary>
    /// Reader side, blocking: waits until at least one sample is there, then copies up to <paramref name="destination"/>.Length.
    /// Returns 0 when <paramref name="timeout"/> passes with nothing to read, or when the ring is completed and drained.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled while waiting.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits until data, completion or cancellation.</param>
    public int Read(Span<float> destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"Read timeout must be zero or more (or infinite), got {timeout}.");
        }

        if (destination.IsEmpty)
        {
            return 0;
        }

        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            int n = Read(destination);
            if (n > 0)
            {
                return n;
            }

            if (_completed)
            {
                // The writer may have written between our read and seeing the flag: drain once more.
                return Read(destination);
            }

            cancellationToken.ThrowIfCancellationRequested();
            long remaining = deadline == long.MaxValue ? -1 : deadline - Environment.TickCount64;
            if (deadline != long.MaxValue && remaining <= 0)
            {
                return 0;
            }

            // Reset, then re-check: a write that lands between the check above and Reset must not be slept through.
            _dataAvailable.Reset();
            if (Count > 0 || _completed)
            {
                continue;
            }

            _dataAvailable.Wait((int)Math.Min(remaining, int.MaxValue), cancellationToken);
        }
    }

    /// <summary>Reader side: discards everything buffered (the writer may keep writing). Counters are kept.</summary>
    public void Clear() => Volatile.Write(ref _readPosition, Volatile.Read(ref _writePosition));

    /// <summary>Back to the empty, not completed state with zero counters. Only while the writer is stopped.</summary>
    public void Reset()
    {
        Clear();
        Interlocked.Exchange(ref _droppedSamples, 0);
        Interlocked.Exchange(ref _overruns, 0);
        _completed = false;
        _dataAvailable.Reset();
    }

    public void Dispose() => _dataAvailable.Dispose();
}
