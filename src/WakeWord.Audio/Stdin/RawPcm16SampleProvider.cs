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
    private readonly Stream _input;
    private readonly string _name;
    private readonly string _expected;
    private readonly string _wavAdvice;
    private readonly int _blockAlign;
    private byte[] _bytes = [];
    private int _carried;
    private long _totalBytes;

    /// <param name="wavAdvice">What to do instead when a WAV file arrives, in the words of the program that reads
    /// (the CLI: pass the path; the service: Audio:Source=file).</param>
    public RawPcm16SampleProvider(Stream input, string name, int sampleRate, int channels, string wavAdvice)
    {
        _input = input;
        _name = name;
        _wavAdvice = wavAdvice;
        _blockAlign = 2 * channels;
        string layout = channels == 1 ? "mono" : $"{channels}-channel interleaved";
        _expected = $"raw 16-bit little-endian {layout} PCM at {sampleRate} Hz";
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, channels);
    }

    public WaveFormat WaveFormat { get; }

    /// <summary>The format this source expects, as error messages spell it.</summary>
    public string Expected => _expected;

    public int Read(Span<float> buffer)
    {
        int wantBytes = buffer.Length * 2;
        if (_bytes.Length < wantBytes + 1)
        {
            // Grows to the largest request once; a fixed chunk size then allocates nothing.
            _bytes = new byte[wantBytes + 1];
        }

        while (true)
        {
            int read = _input.Read(_bytes, _carried, wantBytes - _carried);
            if (read == 0)
            {
                CheckEnd();
                return 0;
            }

            if (_totalBytes == 0 && _carried + read >= 4)
            {
                CheckNotWav();
            }

            _totalBytes += read;
            int available = _carried + read;
            int samples = available / 2;
            if (samples == 0)
            {
                _carried = available;
                continue;
            }

            for (int i = 0; i < samples; i++)
            {
                buffer[i] = BinaryPrimitives.ReadInt16LittleEndian(_bytes.AsSpan(2 * i, 2)) / 32768f;
            }

            _carried = available - (2 * samples);
            if (_carried > 0)
            {
                _bytes[0] = _bytes[2 * samples];
            }

            return samples;
        }
    }

    private void CheckEnd()
    {
        if (_totalBytes % _blockAlign != 0)
        {
            string what = _blockAlign == 2 ? "an odd number of bytes" : $"a byte count that is not a multiple of {_blockAlign}";
            throw new AudioSourceException($"{_name}: expected {_expected}; got {what} ({_totalBytes})");
        }
    }

    // A WAV piped to stdin would otherwise be heard as a click of header bytes followed by audio at a guessed rate.
    private void CheckNotWav()
    {
        if (_bytes[0] == (byte)'R' && _bytes[1] == (byte)'I' && _bytes[2] == (byte)'F' && _bytes[3] == (byte)'F')
        {
            throw new AudioSourceException(
                $"{_name}: expected {_expected}; got a WAV file (RIFF header). {_wavAdvice}, or send raw samples (arecord -t raw, sox -t raw)");
        }
    }
}
