using NAudio.Wave;
using WakeWord.Audio.Files;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Files;

public sealed class WavFileSourceTests : IDisposable
{
    private readonly TestWav _wav = new();

    public void Dispose() => _wav.Dispose();

    [Fact]
    public void Mono16kHz16BitIsReadSampleForSample()
    {
        short[] pcm = [0, 1, -1, 16384, -16384, 32767, -32768, 1234];
        string path = Path.Combine(_wav.Folder, "exact.wav");
        using (var writer = new WaveFileWriter(path, new WaveFormat(16000, 16, 1)))
        {
            writer.WriteSamples(pcm, 0, pcm.Length);
        }

        using var source = new WavFileSource(path);
        float[] samples = SignalMath.ReadAll(source);

        Assert.Equal(16000, source.SampleRate);
        Assert.Equal(pcm.Select(p => p / 32768f), samples);
    }

    [Theory]
    [InlineData(44100, 2, 16)]
    [InlineData(48000, 1, 24)]
    [InlineData(8000, 1, 8)]
    [InlineData(22050, 3, 16)]
    [InlineData(96000, 2, 32)]
    public void AnyRateAndChannelCountBecomes16kHzMonoWithTheSameTone(int rate, int channels, int bits)
    {
        float[] tone = TestWav.Sine(rate, 440, 2.0, amplitude: 0.5f);
        float[][] perChannel = Enumerable.Repeat(tone, channels).ToArray();
        string path = _wav.Write($"tone_{rate}_{channels}_{bits}.wav", new WaveFormat(rate, bits, channels), perChannel);

        using var source = new WavFileSource(path);
        float[] samples = SignalMath.ReadAll(source);

        // Two seconds at 16 kHz; the resampler may hold back a few samples of filter delay at the end.
        Assert.InRange(samples.Length, 32000 - 200, 32000 + 10);
        ReadOnlySpan<float> middle = samples.AsSpan(4000, 16000);
        Assert.InRange(SignalMath.Rms(middle), 0.5 / Math.Sqrt(2) * 0.95, 0.5 / Math.Sqrt(2) * 1.05);
        double at440 = SignalMath.PowerAt(middle, 16000, 440);
        double at1000 = SignalMath.PowerAt(middle, 16000, 1000);
        Assert.True(at440 > 1000 * at1000, $"440 Hz power {at440} should dominate 1000 Hz power {at1000}");
    }

    [Fact]
    public void IeeeFloatStereoIsAveragedIntoMono()
    {
        float[] left = TestWav.Sine(16000, 300, 1.0, 0.8f);
        float[] right = left.Select(x => -x).ToArray();
        float[] constant = Enumerable.Repeat(0.25f, 16000).ToArray();
        string opposite = _wav.Write("opposite.wav", WaveFormat.CreateIeeeFloatWaveFormat(16000, 2), left, right);
        string mixed = _wav.Write("mixed.wav", WaveFormat.CreateIeeeFloatWaveFormat(16000, 2), left, constant);

        using var cancelling = new WavFileSource(opposite);
        using var averaging = new WavFileSource(mixed);
        float[] silence = SignalMath.ReadAll(cancelling);
        float[] average = SignalMath.ReadAll(averaging);

        Assert.Equal(16000, silence.Length);
        Assert.All(silence, s => Assert.Equal(0f, s, 1e-6f));
        for (int i = 0; i < average.Length; i++)
        {
            Assert.Equal((left[i] + 0.25f) / 2, average[i], 1e-6f);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(160)]
    [InlineData(1280)]
    public void SmallReadsGiveTheSameSamplesAsLargeOnes(int chunk)
    {
        float[] tone = TestWav.Sine(44100, 523, 0.5);
        string path = _wav.Write("chunks.wav", new WaveFormat(44100, 16, 2), tone, tone);

        using var whole = new WavFileSource(path);
        using var chunked = new WavFileSource(path);
        float[] expected = SignalMath.ReadAll(whole, 1 << 16);
        float[] actual = SignalMath.ReadAll(chunked, chunk);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void DescriptionDurationAndFormatDescribeTheFile()
    {
        string path = _wav.Write("described.wav", new WaveFormat(44100, 16, 2), new float[44100], new float[44100]);

        using var source = new WavFileSource(path);

        Assert.Equal("file:" + path, source.Description);
        Assert.Equal(TimeSpan.FromSeconds(1), source.Duration);
        Assert.Contains("44100 Hz, 2 ch, 16-bit", source.SourceFormat);
    }

    [Fact]
    public void MissingFileNamesTheFile()
    {
        string path = Path.Combine(_wav.Folder, "nope.wav");

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

        Assert.Equal($"{path}: file not found", error.Message);
    }

    [Fact]
    public void DirectoryIsRefused()
    {
        AudioSourceException error = Assert.Throws<AudioSourceException>(() => new WavFileSource(_wav.Folder));

        Assert.Contains("is a directory", error.Message);
    }

    [Fact]
    public void RandomBytesAreNotAWavFile()
    {
        byte[] bytes = new byte[4000];
        new Random(7).NextBytes(bytes);
        string path = _wav.WriteBytes("noise.wav", bytes);

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

        Assert.StartsWith($"{path}: not a valid WAV file", error.Message);
    }

    [Fact]
    public void TextFileIsNotAWavFile()
    {
        string path = _wav.WriteBytes("readme.wav", "this is not audio at all, just text"u8.ToArray());

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

        Assert.StartsWith($"{path}: not a valid WAV file", error.Message);
    }

    [Fact]
    public void EmptyFileIsNotAWavFile()
    {
        string path = _wav.WriteBytes("empty.wav", []);

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

        Assert.StartsWith($"{path}: not a valid WAV file", error.Message);
    }

    [Fact]
    public void FileCutInsideItsHeaderIsRefused()
    {
        string good = _wav.Write("good.wav", new WaveFormat(16000, 16, 1), new float[1600]);
        string path = _wav.WriteBytes("header_cut.wav", File.ReadAllBytes(good)[..20]);

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

        Assert.StartsWith($"{path}: not a valid WAV file", error.Message);
    }

    [Fact]
    public void FileCutInsideItsDataIsTruncated()
    {
        string good = _wav.Write("good.wav", new WaveFormat(16000, 16, 1), TestWav.Sine(16000, 440, 1.0));
        byte[] bytes = File.ReadAllBytes(good);
        string path = _wav.WriteBytes("data_cut.wav", bytes[..(bytes.Length / 2)]);

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

        Assert.Equal($"{path}: truncated WAV file: its header declares {bytes.Length} bytes but the file has {bytes.Length / 2}", error.Message);
    }

    [Fact]
    public void StreamedHeaderWithoutLengthIsNotTruncation()
    {
        // Writers that stream (arecord to a pipe, some recorders) leave the RIFF length at 0xFFFFFFFF.
        string good = _wav.Write("good.wav", new WaveFormat(16000, 16, 1), TestWav.Sine(16000, 440, 0.1));
        byte[] bytes = File.ReadAllBytes(good);
        bytes[4] = bytes[5] = bytes[6] = bytes[7] = 0xFF;
        string path = _wav.WriteBytes("streamed.wav", bytes);

        using var source = new WavFileSource(path);

        Assert.Equal(1600, SignalMath.ReadAll(source).Length);
    }

    [Fact]
    public void UnsupportedEncodingIsNamed()
    {
        string path = Path.Combine(_wav.Folder, "mulaw.wav");
        using (var writer = new WaveFileWriter(path, WaveFormat.CreateMuLawFormat(8000, 1)))
        {
            writer.Write(new byte[800], 0, 800);
        }

        AudioSourceException error = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));

        Assert.StartsWith($"{path}: unsupported WAV encoding", error.Message);
        Assert.Contains("MuLaw", error.Message);
    }

    [Fact]
    public void CancelledReadThrowsOperationCanceled()
    {
        string path = _wav.Write("cancel.wav", new WaveFormat(16000, 16, 1), new float[1600]);
        using var source = new WavFileSource(path);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => source.Read(new float[160], cancelled.Token));
    }

    [Fact]
    public void EndOfFileReadsZeroAgainAndAgain()
    {
        string path = _wav.Write("short.wav", new WaveFormat(16000, 16, 1), new float[100]);
        using var source = new WavFileSource(path);
        float[] buffer = new float[1000];

        Assert.Equal(100, source.Read(buffer, CancellationToken.None));
        Assert.Equal(0, source.Read(buffer, CancellationToken.None));
        Assert.Equal(0, source.Read(buffer, CancellationToken.None));
    }
}
