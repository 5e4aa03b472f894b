using Microsoft.Extensions.Logging;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Capture;

/// <summary>Opens the microphone through a capture backend chosen by name ("auto", "alsa", "pulse", "wasapi").</summary>
public static class MicrophoneSourceFactory
{
    /// <summary>
    /// Returns a live 16 kHz mono source that keeps running through device faults (logs, retries with backoff).
    /// Throws <see cref="ArgumentException"/> naming the value for an unknown backend or one this platform lacks.
    /// </summary>
    public static ILiveAudioSource Create(string backend, string device, int chunkMilliseconds, ILogger logger) => throw new NotImplementedException();

    /// <summary>Capture device names of a backend, as that backend spells them.</summary>
    public static IReadOnlyList<string> ListDevices(string backend) => throw new NotImplementedException();
}
