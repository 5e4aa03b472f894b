namespace WakeWord.Core.Audio;

/// <summary>
/// A pull source of mono float samples in [-1, 1] at <see cref="SampleRate"/> (16 kHz for every source the
/// service uses: sources convert on their side). Modelled on NAudio's ISampleProvider: returning 0 means end of stream.
/// </summary>
public interface IAudioSource : IDisposable
{
    /// <summary>Samples per second of what <see cref="Read"/> returns.</summary>
    int SampleRate { get; }

    /// <summary>A short human-readable name for logs ("file:/x.wav", "stdin", "alsa:default").</summary>
    string Description { get; }

    /// <summary>
    /// Blocks until at least one sample is available, then copies up to <paramref name="destination"/>.Length samples.
    /// Returns 0 only at the end of the stream (files, stdin). Live sources never return 0 while running.
    /// Throws <see cref="OperationCanceledException"/> when cancelled and <see cref="AudioSourceException"/> on
    /// a fault that names the problem (corrupt file, wrong PCM format, device lost).
    /// </summary>
    int Read(Span<float> destination, CancellationToken cancellationToken);
}
