using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using WakeWord.Audio.Conversion;
using WakeWord.Audio.Files;

namespace WakeWord.Audio.Tests.Conversion;

/// <summary>
/// Files and capture devices share one downmix and one resampler set-up; for files it must give, to the sample, what
/// NAudio's own WdlResamplingSampleProvider gives, read with the same calls.
/// </summary>
public sealed class SharedResamplerTests : IDisposable
{
    private readonly TestWav _wav = new();

    public void Dispose() => _wav.Dispose();

    [Theory]
    [InlineData(44100, 2, 1600)]
    [InlineData(48000, 6, 1600)]
    [InlineData(8000, 1, 333)]
    [InlineData(22050, 1, 4096)]
    public void A_file_at_another_rate_reads_as_through_NAudios_resampling_provider(int rate, int channels, int readSize)
    {
        float[][] signal = [.. Enumerable.Range(0, channels).Select(c => TestWav.Sine(rate, 300 + (150 * c), 1.3, 0.4f))];
        string path = _wav.Write($"in-{rate}-{channels}.wav", WaveFormat.CreateIeeeFloatWaveFormat(rate, channels), signal);

        using var source = new WavFileSource(path, 16000);
        float[] ours = ReadAll(buffer => source.Read(buffer, CancellationToken.None), readSize, ended: () => true); // 0 only at the end

        using var reader = new WaveFileReader(path);
        var bottom = new EndSeen(reader.ToSampleProvider());
        ISampleProvider mono = channels > 1 ? new DownmixSampleProvider(bottom) : bottom;
        var naudio = new WdlResamplingSampleProvider(mono, 16000);
        float[] theirs = ReadAll(buffer => naudio.Read(buffer), readSize, ended: () => bottom.Ended);

        Assert.True(ours.Length > 16000, $"only {ours.Length} samples");
        Assert.Equal(theirs, ours);
    }

    /// <summary>Reads until the end the way WavFileSource does: a 0 counts as the end only once the file has ended.</summary>
    private static float[] ReadAll(Func<Span<float>, int> read, int size, Func<bool> ended)
    {
        var all = new List<float>();
        float[] buffer = new float[size];
        while (true)
        {
            int n = read(buffer);
            if (n > 0)
            {
                all.AddRange(buffer.AsSpan(0, n));
            }
            else if (ended())
            {
                return [.. all];
            }
        }
    }

    private sealed class EndSeen(ISampleProvider source) : ISampleProvider
    {
        public WaveFormat WaveFormat => source.WaveFormat;

        public bool Ended { get; private set; }

        public int Read(Span<float> buffer)
        {
            int n = Ended ? 0 : source.Read(buffer);
            Ended |= n == 0 && !buffer.IsEmpty;
            return n;
        }
    }
}
