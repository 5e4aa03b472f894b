using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>Collects a live source's status changes so a test can wait for one.</summary>
internal sealed class StatusLog : IObserver<AudioSourceStatus>
{
    private readonly Lock _gate = new();
    private readonly List<AudioSourceStatus> _items = [];

    public AudioSourceStatus[] Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    public int Count(AudioSourceStatusKind kind) => Items.Count(s => s.Kind == kind);

    /// <summary>Waits until at least <paramref name="occurrences"/> statuses of <paramref name="kind"/> were seen.</summary>
    public bool WaitFor(AudioSourceStatusKind kind, TimeSpan timeout, int occurrences = 1)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (Count(kind) >= occurrences)
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return Count(kind) >= occurrences;
    }

    public override string ToString() => string.Join("; ", Items.Select(s => $"{s.TimeUtc:HH:mm:ss.fff} {s.Kind}: {s.Message}"));

    public void OnNext(AudioSourceStatus value)
    {
        lock (_gate)
        {
            _items.Add(value);
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}
