using System.Buffers.Binary;

namespace WakeWord.Audio.Conversion;

/// <summary>
/// Turns a device's interleaved PCM or float bytes into mono float at the output rate (the models'): decode, then the
/// one <see cref="Downmix"/> and the one <see cref="MonoResampler"/> that files use too (input-driven here). Buffers are
/// sized once for the largest block announced in the constructor, so converting allocates nothing.
/// </summary>
public sealed class CaptureFormatConverter
{
    private readonly CaptureFormat _format;
    private readonly MonoResampler? _resampler;
    private readonly float[] _interleaved;
    private readonly float[] _mono;
    private readonly int _maxFrames;

    /// <param name="format">What the device delivers.</param>
    /// <param name="maxBytesPerBlock">The largest block <see cref="Convert"/> will get (larger blocks are split).</param>
    /// <param name="outputRate">The rate to deliver (the models').</param>
    public CaptureFormatConverter(CaptureFormat format, int maxBytesPerBlock, int outputRate)
    {
        _format = format.Validate();
        if (maxBytesPerBlock < format.BytesPerFrame)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytesPerBlock), maxBytesPerBlock, $"Block must hold at least one frame ({format.BytesPerFrame} bytes), got {maxBytesPerBlock}.");
        }

        _maxFrames = maxBytesPerBlock / format.BytesPerFrame;
        _interleaved = new float[_maxFrames * format.Channels];
        _mono = new float[_maxFrames];
        if (format.SampleRate != outputRate)
        {
            // Input-driven: each call hands over what the device gave, and gets whatever output that makes.
            _resampler = new MonoResampler(format.SampleRate, outputRate, inputDriven: true);
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

        int samples = frames * _format.Channels;
        Decode(input, _interleaved.AsSpan(0, samples));
        Downmix.Average(_interleaved.AsSpan(0, samples), _format.Channels, _mono);
        if (_resampler is null)
        {
            _mono.AsSpan(0, frames).CopyTo(output);
            return frames;
        }

        return _resampler.Push(_mono.AsSpan(0, frames), output);
    }

    /// <summary>Forgets resampler history (after a device reopen, the old tail does not belong to the new stream).</summary>
    public void Reset() => _resampler?.Reset();

    private void Decode(ReadOnlySpan<byte> input, Span<float> samples)
    {
        int bps = _format.BytesPerSample;
        for (int i = 0; i < samples.Length; i++)
        {
            ReadOnlySpan<byte> s = input.Slice(i * bps, bps);
            samples[i] = _format.SampleFormat switch
            {
                CaptureSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
                CaptureSampleFormat.Pcm24 => ((s[0] << 8) | (s[1] << 16) | (s[2] << 24)) / 2147483648f,
                CaptureSampleFormat.Pcm32 => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648f,
                _ => BinaryPrimitives.ReadSingleLittleEndian(s),
            };
        }
    }
}
