namespace WakeWord.Audio.Conversion;

/// <summary>
/// The one downmix: averages interleaved channels into mono. Files (any channel count; NAudio's StereoToMonoSampleProvider
/// takes only two) and capture devices both go through it.
/// </summary>
internal static class Downmix
{
    /// <summary>Writes one mono sample per whole frame of <paramref name="interleaved"/>; returns how many.</summary>
    public static int Average(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        int frames = interleaved.Length / channels;
        float scale = 1f / channels;
        for (int frame = 0; frame < frames; frame++)
        {
            float sum = 0f;
            int start = frame * channels;
            for (int channel = 0; channel < channels; channel++)
            {
                sum += interleaved[start + channel];
            }

            mono[frame] = sum * scale;
        }

        return frames;
    }
}
