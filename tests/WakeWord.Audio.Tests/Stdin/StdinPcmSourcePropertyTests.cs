using CsCheck;
using WakeWord.Tests.Support;
using WakeWord.Audio.Stdin;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Stdin;

/// <summary>Any byte stream on stdin, at any rate and channel count: read to its end or refused by name, nothing else.</summary>
public sealed class StdinPcmSourcePropertyTests
{
    [Fact]
    public void AnyBytesAreReadOrRefusedByName() =>
        Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[1000, 96000], Gen.Int[1, 8]).Sample((bytes, rate, channels) =>
        {
            using var input = new MemoryStream(bytes);
            using var source = new StdinPcmSource(input, rate, channels);
            float[] buffer = new float[512];
            long total = 0;
            try
            {
                int read;
                while ((read = source.Read(buffer, CancellationToken.None)) > 0)
                {
                    total += read;
                }
            }
            catch (AudioSourceException ex)
            {
                Assert.StartsWith("stdin", ex.Message, StringComparison.Ordinal);
                return;
            }

            // Resampled to 16 kHz mono: about bytes / 2 / channels * 16000 / rate samples, never far more.
            double expected = bytes.Length / 2.0 / channels * 16000 / rate;
            Assert.True(total <= expected + 64, $"{total} samples from {bytes.Length} bytes at {rate} Hz x {channels}");
        }, iter: 800, time: FuzzBudget.Seconds, threads: 1);
}
