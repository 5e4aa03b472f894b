namespace WakeWord.Audio.Capture;

/// <summary>
/// One open capture stream of a backend, driven by a single capture thread (the one of
/// <see cref="ResilientMicrophoneSource"/>): <see cref="Open"/>, then <see cref="Read"/> in a loop, then Dispose.
/// It delivers mono float samples at its settings' rate (16 kHz by default); faults are thrown as <see cref="CaptureDeviceException"/> and the owner decides
/// whether to retry, so a device never needs to know about backoff.
/// </summary>
public interface ICaptureDevice : IDisposable
{
    /// <summary>Backend and device, for logs ("alsa:default", "pulse:wakeword_mic").</summary>
    string Description { get; }

    /// <summary>Overruns the device itself reported (samples lost before they reached us).</summary>
    long Overruns { get; }

    /// <summary>The latency the device reports between the sound and our read (period plus queued audio), zero if unknown.</summary>
    TimeSpan Latency { get; }

    /// <summary>Opens and starts the stream. Throws <see cref="CaptureDeviceException"/> when the device is missing, busy or refuses the format.</summary>
    void Open();

    /// <summary>
    /// Blocks for about one period, then copies up to <paramref name="destination"/>.Length samples; returns how many
    /// (0 is allowed when the wait ended without data). Throws <see cref="CaptureDeviceException"/> when the device is lost.
    /// </summary>
    int Read(Span<float> destination);
}
