using CsCheck;
using WakeWord.Tests.Support;
using NAudio.Wave;
using WakeWord.Audio.Files;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Files;

/// <summary>
/// Hostile WAV files (random bytes, and valid files with header fields, lengths and data overwritten at random): the
/// reader either reads them or refuses them with an <see cref="AudioSourceException"/> that names the file; it never
/// throws anything else and never hangs. CsCheck prints the seed of a failure; add it to the seeds below to keep it.
/// </summary>
public sealed class WavFileSourcePropertyTests : IDisposable
{
    private readonly TestWav _wav = new();
    private readonly byte[] _valid;

    public WavFileSourcePropertyTests()
    {
        string path = _wav.Write("valid.wav", new WaveFormat(16000, 16, 1), TestWav.Sine(16000, 440, 0.05));
        _valid = File.ReadAllBytes(path);
    }

    public void Dispose() => _wav.Dispose();

    private static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 200];

    private Gen<byte[]> MutatedValid() =>
        Gen.Select(Gen.Int[0, _valid.Length], Gen.Int[0, 60], Gen.Byte.Array[1, 8], (cut, at, patch) =>
        {
            byte[] bytes = _valid[..Math.Max(cut, Math.Min(_valid.Length, 12))];
            for (int i = 0; i < patch.Length && at + i < bytes.Length; i++)
            {
                bytes[at + i] = patch[i];
            }

            return bytes;
        });

    [Fact]
    public void RandomBytesAreReadOrRefusedByName() => RandomBytes.Sample(ReadOrRefuse, iter: 300, time: FuzzBudget.Seconds, threads: 1);

    [Fact]
    public void ValidFilesWithCorruptHeadersAreReadOrRefusedByName() => MutatedValid().Sample(ReadOrRefuse, iter: 1500, time: FuzzBudget.Seconds, threads: 1);

    [Fact]
    public void ABlockAlignThatDoesNotMatchTheSampleFormatIsRefusedByName()
    {
        // The second finding (seed 1N2QsxryJAp1, a 10-minute run): block align 46 in a 16-bit mono header made NAudio
        // throw ArgumentException "Must read complete blocks" from the first read.
        byte[] bytes = (byte[])_valid.Clone();
        BitConverter.GetBytes((short)46).CopyTo(bytes, 32); // fmt chunk: block align

        string path = Path.Combine(_wav.Folder, "align.wav");
        File.WriteAllBytes(path, bytes);

        AudioSourceException ex = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("block align 46", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSecondFindingsSeedIsReadOrRefusedByName() =>
        MutatedValid().Sample(ReadOrRefuse, seed: "1N2QsxryJAp1", iter: 1, threads: 1);

    [Fact]
    public void PcmOfABitDepthNAudioCannotDecodeIsRefusedByName()
    {
        // The first finding (seed b46HTkkzq2J1): 12-bit PCM threw NAudio's InvalidOperationException "Unsupported bit depth".
        byte[] bytes = (byte[])_valid.Clone();
        BitConverter.GetBytes((short)12).CopyTo(bytes, 34); // fmt chunk: bits per sample

        string path = Path.Combine(_wav.Folder, "12bit.wav");
        File.WriteAllBytes(path, bytes);

        AudioSourceException ex = Assert.Throws<AudioSourceException>(() => new WavFileSource(path));
        Assert.Contains("unsupported WAV encoding", ex.Message, StringComparison.Ordinal);
        Assert.Contains("12-bit", ex.Message, StringComparison.Ordinal);
    }

    private void ReadOrRefuse(byte[] bytes)
    {
        string path = Path.Combine(_wav.Folder, "fuzz.wav");
        File.WriteAllBytes(path, bytes);
        try
        {
            using var source = new WavFileSource(path);
            float[] buffer = new float[1600];
            long total = 0;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            int read;
            while ((read = source.Read(buffer, deadline.Token)) > 0)
            {
                total += read;

                // 1 s at most comes from a file of a few hundred bytes (8-bit at 8 kHz resampled to 16 kHz is the most).
                Assert.True(total <= 16000 * 4, $"{total} samples from {bytes.Length} bytes");
            }
        }
        catch (AudioSourceException ex)
        {
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
    }
}
