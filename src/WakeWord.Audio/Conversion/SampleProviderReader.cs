using NAudio.Wave;

namespace WakeWord.Audio.Conversion;

/// <summary>
/// Reads a chain of NAudio sample providers the way <see cref="Core.Audio.IAudioSource.Read"/> promises: 0 only at the
/// real end. A resampler may return 0 for a small request while it still waits for input, so 0 alone proves nothing;
/// the end is when the bottom of the chain has said so.
/// </summary>
internal sealed class SampleProviderReader
{
    private readonly ISampleProvider _top;
    private readonly EndTrackingSampleProvider _bottom;

    public SampleProviderReader(ISampleProvider top, EndTrackingSampleProvider bottom)
    {
        _top = top;
        _bottom = bottom;
    }

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int read = _top.Read(destination);
            if (read > 0)
            {
                return read;
            }

            if (_bottom.Ended)
            {
                return 0;
            }
        }
    }
}
