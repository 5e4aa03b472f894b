namespace WakeWord.Audio.Conversion;

/// <summary>What a push device delivers: interleaved frames of <see cref="Channels"/> samples at <see cref="SampleRate"/>.</summary>
public sealed record CaptureFormat(int SampleRate, int Channels, CaptureSampleFormat SampleFormat)
{
    public int BytesPerSample => SampleFormat switch
    {
        CaptureSampleFormat.Pcm16 => 2,
        CaptureSampleFormat.Pcm24 => 3,
        _ => 4,
    };

    public int BytesPerFrame => BytesPerSample * Channels;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public CaptureFormat Validate()
    {
        if (SampleRate is < 8000 or > 384000)
        {
            throw new ArgumentException($"Capture sample rate must be 8000 to 384000 Hz, got {SampleRate} Hz.", nameof(SampleRate));
        }

        if (Channels is < 1 or > 32)
        {
            throw new ArgumentException($"Capture channel count must be 1 to 32, got {Channels}.", nameof(Channels));
        }

        return this;
    }

    public override string ToString() => $"{SampleRate} Hz, {Channels} ch, {SampleFormat}";
}
