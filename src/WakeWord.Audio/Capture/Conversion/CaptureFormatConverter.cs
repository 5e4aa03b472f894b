using System.Buffers.Binary;
using NAudio.Dsp;

namespace WakeWord.Audio.Capture.Conversion;

/// <summary>
/// Turns a device's interleaved PCM or float bytes into mono float at the output rate (16 kHz by default): decode, average the channels, resample with
/// NAudio's WDL resampler (the same one NAudio's WdlResamplingSampleProvider uses). Buffers are sized once for the
/// largest block announced in the constructor, so converting allocates nothing.
/// </summary>
public sealed class CaptureFormatConverter
{
    private readonly CaptureFormat _format;
    private readonly WdlResampler? _resampler;
    private readonly float[] _mono;
    private readonly int _maxFrames;

    /// <param name="format">What the device delivers.</param>
    /// <param name="maxBytesPerBlock">The largest block <see cref="Convert"/> will get (larger blocks are split).</param>
    /// <param name="outputRate">The rate to deliver (the models').</param>
    public CaptureFormatConverter(CaptureFormat format, int maxBytesPerBlock, int outputRate = CaptureSettings.DefaultSampleRate)
    {
        _format = format.Validate();
        if (maxBytesPerBlock < format.BytesPerFrame)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytesPerBlock), maxBytesPerBlock, $"Block must hold at least one frame ({format.BytesPerFrame} bytes), got {maxBytesPerBlock}.");
        }

        _maxFrames = maxBytesPerBlock / format.BytesPerFrame;
        _mono = new float[_maxFrames];
        if (format.SampleRate != outputRate)
        {
            _resampler = new WdlResampler();
            _resampler.SetMode(true, 2, false, 64, 32);
            _resampler.SetFilterParms(0.693f, 0.707f);
            // Input-driven: each call hands over what the device gave, and gets whatever output that makes.
            _resampler.SetFeedMode(true);
            _resampler.SetRates(format.SampleRate, outputRate);
        }

        MaxOutputSamples = (int)Math.Ceiling((double)_maxFrames * outputRate / format.SampleRate) + 64;
    }

    /// <summary>The most samples one <see cref="Convert"/> call of at most maxBytesPerBlock bytes writes.</summary>
    public int MaxOutputSamples { get; }

    public CaptureFormat Format => _format;

    /// <summary>The largest input one <see cref="Convert"/> call takes, in whole frames' bytes.</summary>
    public int MaxBytesPerBlock => _maxFrames * _format.BytesPerFrame;

    /// <summary>
    /// Converts whole frames of <paramref name="input"/> (a trailing partial frame is ignored: devices deliver whole
    /// frames) into <paramref name="output"/>, which must hold <see cref="MaxOutputSamples"/>. Returns samples written.
    /// </summary>
    public int Convert(ReadOnlySpan<byte> input, Span<float> output)
    {
        int frames = Math.Min(input.Length / _format.BytesPerFrame, _maxFrames);
        if (output.Length < MaxOutputSamples)
        {
            throw new ArgumentException($"Output must hold {MaxOutputSamples} samples, got {output.Length}.", nameof(output));
        }

        Downmix(input, frames);
        if (_resampler is null)
        {
            _mono.AsSpan(0, frames).CopyTo(output);
            return frames;
        }

        int needed = _resampler.ResamplePrepare(frames, 1, out Span<float> inBuffer);
        int toCopy = Math.Min(needed, frames);
        _mono.AsSpan(0, toCopy).CopyTo(inBuffer);
        return _resampler.ResampleOut(output, toCopy, output.Length, 1);
    }

    /// <summary>Forgets resampler history (after a device reopen, the old tail does not belong to the new stream).</summary>
    public void Reset() => _resampler?.Reset();

    private void Downmix(ReadOnlySpan<byte> input, int frames)
    {
        int channels = _format.Channels;
        int bps = _format.BytesPerSample;
        float scale = 1f / channels;
        for (int f = 0; f < frames; f++)
        {
            float sum = 0;
            int offset = f * _format.BytesPerFrame;
            for (int c = 0; c < channels; c++)
            {
                sum += Decode(input.Slice(offset + (c * bps), bps));
            }

            _mono[f] = sum * scale;
        }
    }

    private float Decode(ReadOnlySpan<byte> s) => _format.SampleFormat switch
    {
        CaptureSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
        CaptureSampleFormat.Pcm24 => ((s[0] << 8) | (s[1] << 16) | (s[2] << 24)) / 2147483648f,
        CaptureSampleFormat.Pcm32 => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648f,
        _ => BinaryPrimitives.ReadSingleLittleEndian(s),
    };
}
