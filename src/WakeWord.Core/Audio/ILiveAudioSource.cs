namespace WakeWord.Core.Audio;

/// <summary>A device-backed source (microphone) that survives faults: it reports them and retries instead of ending.</summary>
public interface ILiveAudioSource : IAudioSource
{
    /// <summary>Listening, device lost, device back. Raised from the capture side; subscribers must not block.</summary>
    IObservable<AudioSourceStatus> Status { get; }

    /// <summary>Samples dropped because the consumer fell behind (ring buffer full).</summary>
    long DroppedSamples { get; }

    /// <summary>Overruns reported by the device or the ring buffer.</summary>
    long Overruns { get; }
}
