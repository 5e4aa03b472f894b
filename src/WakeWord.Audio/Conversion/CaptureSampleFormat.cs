namespace WakeWord.Audio.Conversion;

/// <summary>Sample encodings a capture device may deliver (WASAPI shared mode usually gives <see cref="Float32"/>).</summary>
public enum CaptureSampleFormat
{
    Pcm16,
    Pcm24,
    Pcm32,
    Float32,
}
