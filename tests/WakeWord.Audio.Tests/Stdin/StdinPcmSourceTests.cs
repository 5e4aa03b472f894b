using WakeWord.Audio.Stdin;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Stdin;

public sealed class StdinPcmSourceTests
{
    private static byte[] Pcm(params short[] samples)
    {
        byte[] bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        return bytes;
    }

    [Fact]
    public void LittleEndian16BitSamplesBecomeFloats()
    {
        short[] pcm = [0, 1, -1, 256, -256, 32767, -32768];
        using var source = new StdinPcmSource(new MemoryStream(Pcm(pcm)));

        float[] samples = SignalMath.ReadAll(source);

        Assert.Equal(16000, source.SampleRate);
        Assert.Equal("stdin", source.Description);
        Assert.Equal(pcm.Select(p => p / 32768f), samples);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1001)]
    public void PipeReadsSplitInsideASampleLoseNothing(int bytesPerRead)
    {
        short[] pcm = Enumerable.Range(0, 999).Select(i => (short)((i * 37) - 16000)).ToArray();
        using var source = new StdinPcmSource(new TricklingStream(Pcm(pcm), bytesPerRead));

        float[] samples = SignalMath.ReadAll(source, chunk: 5);

        Assert.Equal(pcm.Select(p => p / 32768f), samples);
    }

    [Fact]
    public void OddTrailingByteNamesTheExpectedFormat()
    {
        byte[] bytes = [.. Pcm(100, 200, 300), 0x7F];
        using var source = new StdinPcmSource(new MemoryStream(bytes));

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => SignalMath.ReadAll(source));

        Assert.Equal("stdin: expected raw 16-bit little-endian mono PCM at 16000 Hz; got an odd number of bytes (7)", error.Message);
    }

    [Fact]
    public void PartialStereoFrameAtTheEndIsAnError()
    {
        using var source = new StdinPcmSource(new MemoryStream(Pcm(1, 2, 3)), inputChannels: 2);

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => SignalMath.ReadAll(source));

        Assert.Equal("stdin: expected raw 16-bit little-endian 2-channel interleaved PCM at 16000 Hz; got a byte count that is not a multiple of 4 (6)", error.Message);
    }

    [Fact]
    public void WavFileOnStdinIsRefusedWithAHint()
    {
        byte[] bytes = [.. "RIFF"u8.ToArray(), 0x24, 0, 0, 0, .. "WAVEfmt "u8.ToArray(), .. new byte[100]];
        using var source = new StdinPcmSource(new MemoryStream(bytes));

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => SignalMath.ReadAll(source));

        Assert.StartsWith("stdin: expected raw 16-bit little-endian mono PCM at 16000 Hz; got a WAV file (RIFF header)", error.Message);
    }

    [Fact]
    public void EmptyInputEndsCleanly()
    {
        using var source = new StdinPcmSource(new MemoryStream());

        Assert.Equal(0, source.Read(new float[10], CancellationToken.None));
    }

    [Fact]
    public void DeclaredRateIsResampledTo16kHz()
    {
        float[] tone = TestWav.Sine(8000, 440, 2.0, 0.5f);
        short[] pcm = tone.Select(x => (short)(x * 32767)).ToArray();
        using var source = new StdinPcmSource(new MemoryStream(Pcm(pcm)), inputSampleRate: 8000);

        float[] samples = SignalMath.ReadAll(source, chunk: 160);

        Assert.InRange(samples.Length, 32000 - 200, 32000 + 10);
        ReadOnlySpan<float> middle = samples.AsSpan(4000, 16000);
        Assert.InRange(SignalMath.Rms(middle), 0.5 / Math.Sqrt(2) * 0.95, 0.5 / Math.Sqrt(2) * 1.05);
        Assert.True(SignalMath.PowerAt(middle, 16000, 440) > 1000 * SignalMath.PowerAt(middle, 16000, 880));
    }

    [Fact]
    public void DeclaredStereoIsAveraged()
    {
        using var source = new StdinPcmSource(new MemoryStream(Pcm(1000, 3000, -2000, 0)), inputChannels: 2);

        float[] samples = SignalMath.ReadAll(source);

        Assert.Equal([2000 / 32768f, -1000 / 32768f], samples);
    }

    [Fact]
    public void ExpectedFormatIsStated()
    {
        using var source = new StdinPcmSource(new MemoryStream(), inputSampleRate: 44100);

        Assert.Equal("raw 16-bit little-endian mono PCM at 44100 Hz", source.ExpectedFormat);
    }

    [Fact]
    public void ImpossibleRateIsRefusedNamingTheValue()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new StdinPcmSource(new MemoryStream(), inputSampleRate: 12));

        Assert.Equal(12, error.ActualValue);
    }

    [Fact]
    public void BrokenStreamIsAnAudioSourceError()
    {
        using var source = new StdinPcmSource(new FailingStream());

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => source.Read(new float[10], CancellationToken.None));

        Assert.Equal("stdin: read failed (broken pipe)", error.Message);
    }

    /// <summary>A pipe that hands over a few bytes per read, like a slow producer.</summary>
    private sealed class TricklingStream(byte[] data, int bytesPerRead) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, bytesPerRead));
    }

    private sealed class FailingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("broken pipe");
    }
}
