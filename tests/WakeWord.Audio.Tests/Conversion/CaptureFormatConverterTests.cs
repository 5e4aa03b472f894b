using System.Buffers.Binary;
using WakeWord.Audio.Conversion;

namespace WakeWord.Audio.Tests.Conversion;

/// <summary>The WASAPI-side conversion (device mix format to 16 kHz mono float), which runs on every platform.</summary>
public sealed class CaptureFormatConverterTests
{
    [Theory]
    [InlineData(48000, 2, CaptureSampleFormat.Float32)]
    [InlineData(44100, 2, CaptureSampleFormat.Pcm16)]
    [InlineData(48000, 1, CaptureSampleFormat.Pcm24)]
    [InlineData(96000, 4, CaptureSampleFormat.Pcm32)]
    [InlineData(16000, 1, CaptureSampleFormat.Pcm16)]
    public void Sine_keeps_its_frequency_and_level(int rate, int channels, CaptureSampleFormat format)
    {
        var captureFormat = new CaptureFormat(rate, channels, format);
        byte[] input = Encode(TestWav.Sine(rate, 1000, 1.0, 0.5f), captureFormat);
        float[] output = ConvertInBlocks(captureFormat, input, blockFrames: rate / 100);

        // Resampling delays and trims a few ms at the edges; the middle second is what counts.
        Assert.InRange(output.Length, 15800, 16100);
        ReadOnlySpan<float> middle = output.AsSpan(1000, 14000);
        Assert.InRange(SignalMath.Rms(middle), 0.5 / Math.Sqrt(2) * 0.97, 0.5 / Math.Sqrt(2) * 1.03);
        double at1k = SignalMath.PowerAt(middle, 16000, 1000);
        double at2k = SignalMath.PowerAt(middle, 16000, 2000);
        Assert.True(at1k > 1000 * at2k, $"1 kHz {at1k:E2} vs 2 kHz {at2k:E2}");
    }

    [Theory]
    [InlineData(48000, 8000)]
    [InlineData(44100, 22050)]
    [InlineData(16000, 8000)]
    public void Output_comes_at_the_rate_the_models_need(int deviceRate, int modelRate)
    {
        var captureFormat = new CaptureFormat(deviceRate, 2, CaptureSampleFormat.Float32);
        byte[] input = Encode(TestWav.Sine(deviceRate, 1000, 1.0, 0.5f), captureFormat);
        float[] output = ConvertInBlocks(captureFormat, input, blockFrames: deviceRate / 100, outputRate: modelRate);

        Assert.InRange(output.Length, modelRate * 0.98, modelRate * 1.01);
        ReadOnlySpan<float> middle = output.AsSpan(modelRate / 16, modelRate * 7 / 8);
        double at1k = SignalMath.PowerAt(middle, modelRate, 1000);
        double at500 = SignalMath.PowerAt(middle, modelRate, 500);
        Assert.True(at1k > 1000 * at500, $"1 kHz {at1k:E2} vs 500 Hz {at500:E2}: the tone is not where the output rate puts it");
    }

    [Fact]
    public void Channels_are_averaged()
    {
        var format = new CaptureFormat(16000, 2, CaptureSampleFormat.Float32);
        float[] left = TestWav.Sine(16000, 500, 0.1, 0.4f);
        byte[] stereo = new byte[left.Length * 8];
        for (int i = 0; i < left.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(stereo.AsSpan(i * 8), left[i]);
            BinaryPrimitives.WriteSingleLittleEndian(stereo.AsSpan((i * 8) + 4), 0.2f);
        }

        float[] mono = ConvertInBlocks(format, stereo, 160);
        for (int i = 0; i < left.Length; i++)
        {
            Assert.Equal((left[i] + 0.2f) / 2, mono[i], 1e-6f);
        }
    }

    [Fact]
    public void Pcm_decoding_is_exact_at_16_khz()
    {
        var format = new CaptureFormat(16000, 1, CaptureSampleFormat.Pcm24);
        byte[] bytes = [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x40]; // -1, just under +1, +0.5
        float[] output = new float[new CaptureFormatConverter(format, bytes.Length, 16000).MaxOutputSamples];
        int n = new CaptureFormatConverter(format, bytes.Length, 16000).Convert(bytes, output);
        Assert.Equal(3, n);
        Assert.Equal(-1f, output[0]);
        Assert.Equal(8388607f / 8388608f, output[1], 1e-6f);
        Assert.Equal(0.5f, output[2]);
    }

    [Fact]
    public void Conversion_allocates_nothing()
    {
        var format = new CaptureFormat(48000, 2, CaptureSampleFormat.Float32);
        var converter = new CaptureFormatConverter(format, 480 * 8, 16000);
        byte[] input = Encode(TestWav.Sine(48000, 440, 0.01, 0.5f), format);
        float[] output = new float[converter.MaxOutputSamples];
        converter.Convert(input, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            converter.Convert(input, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_formats_are_refused_naming_the_value()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new CaptureFormatConverter(new CaptureFormat(1000, 1, CaptureSampleFormat.Pcm16), 100, 16000));
        Assert.Contains("1000 Hz", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => new CaptureFormatConverter(new CaptureFormat(16000, 0, CaptureSampleFormat.Pcm16), 100, 16000));
        Assert.Contains("got 0", ex.Message, StringComparison.Ordinal);
    }

    internal static byte[] Encode(float[] mono, CaptureFormat format)
    {
        int bps = format.BytesPerSample;
        byte[] bytes = new byte[mono.Length * format.BytesPerFrame];
        for (int i = 0; i < mono.Length; i++)
        {
            for (int c = 0; c < format.Channels; c++)
            {
                Span<byte> s = bytes.AsSpan((i * format.BytesPerFrame) + (c * bps), bps);
                switch (format.SampleFormat)
                {
                    case CaptureSampleFormat.Pcm16:
                        BinaryPrimitives.WriteInt16LittleEndian(s, (short)Math.Round(mono[i] * 32767));
                        break;
                    case CaptureSampleFormat.Pcm24:
                        int v = (int)Math.Round(mono[i] * 8388607);
                        s[0] = (byte)v;
                        s[1] = (byte)(v >> 8);
                        s[2] = (byte)(v >> 16);
                        break;
                    case CaptureSampleFormat.Pcm32:
                        BinaryPrimitives.WriteInt32LittleEndian(s, (int)Math.Round(mono[i] * 2147483647.0));
                        break;
                    default:
                        BinaryPrimitives.WriteSingleLittleEndian(s, mono[i]);
                        break;
                }
            }
        }

        return bytes;
    }

    private static float[] ConvertInBlocks(CaptureFormat format, byte[] input, int blockFrames, int outputRate = 16000)
    {
        var converter = new CaptureFormatConverter(format, blockFrames * format.BytesPerFrame, outputRate);
        float[] output = new float[converter.MaxOutputSamples];
        var all = new List<float>();
        for (int offset = 0; offset < input.Length; offset += blockFrames * format.BytesPerFrame)
        {
            int len = Math.Min(blockFrames * format.BytesPerFrame, input.Length - offset);
            int n = converter.Convert(input.AsSpan(offset, len), output);
            all.AddRange(output.AsSpan(0, n));
        }

        return [.. all];
    }
}
