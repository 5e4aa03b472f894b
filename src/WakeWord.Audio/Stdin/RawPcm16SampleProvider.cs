using System.Buffers.Binary;
using NAudio.Wave;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Stdin;

/// <summary>
/// Raw interleaved 16-bit little-endian PCM from a stream (a pipe from arecord, sox, ffmpeg), as floats in [-1, 1).
/// A pipe may hand over an odd number of bytes at any read; the half sample is kept for the next read. Only at the end
/// of the stream is a leftover partial frame an error.
/// </summary>
internal sealed class RawPcm16SampleProvider : ISampleProvider
{
    private readonly Stream input;
    private readonly string name;
    private readonly string expected;
    private readonly int blockAlign;
    private byte[] bytes = [];
    private int carried;
    private long totalBytes;

    public RawPcm16SampleProvider(Stream input, string name, int sampleRate, int channels)
    {
        this.input = input;
        this.name = name;
        blockAlign = 2 * channels;
        string layout = channels == 1 ? "mono" : $"{channels}-channel interleaved";
        expected = $"raw 16-bit little-endian {layout} PCM at {sampleRate} Hz";
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, channels);
    }

    public WaveFormat WaveFormat { get; }

    /// <summary>The format this source expects, as error messages spell it.</summary>
    public string Expected => expected;

    public int Read(Span<float> buffer)
    {
        int wantBytes = buffer.Length * 2;
        if (bytes.Length < wantBytes + 1)
        {
            // Grows to the largest request once; a fixed chunk size then allocates nothing.
            bytes = new byte[wantBytes + 1];
        }

        while (true)
        {
            int read = input.Read(bytes, carried, wantBytes - carried);
            if (read == 0)
            {
                CheckEnd();
                return 0;
            }

            if (totalBytes == 0 && carried + read >= 4)
            {
                CheckNotWav();
            }

            totalBytes += read;
            int available = carried + read;
            int samples = available / 2;
            if (samples == 0)
            {
                carried = available;
                continue;
            }

            for (int i = 0; i < samples; i++)
            {
                buffer[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i, 2)) / 32768f;
            }

            carried = available - (2 * samples);
            if (carried > 0)
            {
                bytes[0] = bytes[2 * samples];
            }

            return samples;
        }
    }

    private void CheckEnd()
    {
        if (totalBytes % blockAlign != 0)
        {
            string what = blockAlign == 2 ? "an odd number of bytes" : $"a byte count that is not a multiple of {blockAlign}";
            throw new AudioSourceException($"{name}: expected {expected}; got {what} ({totalBytes})");
        }
    }

    // A WAV piped to stdin would otherwise be heard as a click of header bytes followed by audio at a guessed rate.
    private void CheckNotWav()
    {
        if (bytes[0] == (byte)'R' && bytes[1] == (byte)'I' && bytes[2] == (byte)'F' && bytes[3] == (byte)'F')
        {
            throw new AudioSourceException(
                $"{name}: expected {expected}; got a WAV file (RIFF header). Pass the file path instead of '-', or send raw samples (arecord -t raw, sox -t raw)");
        }
    }
}
