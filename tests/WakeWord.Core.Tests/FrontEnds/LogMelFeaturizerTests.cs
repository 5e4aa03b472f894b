using System.Text.Json;
using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Tests.Support;
using Xunit.Abstractions;

namespace WakeWord.Core.Tests.FrontEnds;

public sealed class LogMelFeaturizerTests(ITestOutputHelper output)
{
    /// <summary>
    /// Parity with training/wakeword_training/features.py (log_mel_reference, float64 numpy). Tolerance: 1e-4 absolute in
    /// the log domain. We compute in double and store float32, so what is left is float32 rounding (about 1e-6 on this
    /// golden); 1e-4 leaves room for a different FFT's rounding near log_floor, where the log magnifies tiny energies, and
    /// is still a hundred times below anything the model notices.
    /// </summary>
    [Fact]
    public void Frames_MatchTheTrainingFeaturizerGolden()
    {
        (int rate, float[]? samples) = TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "golden", "featurizer.wav"));
        JsonElement golden = TestFiles.ReadJson(TestFiles.Require("tests", "data", "golden", "featurizer_logmel.json"));
        Assert.Equal(golden.GetProperty("sample_rate").GetInt32(), rate);
        int melBins = golden.GetProperty("mel_bins").GetInt32();
        int frameCount = golden.GetProperty("frames").GetInt32();
        float[] expected = TestFiles.FloatArray(golden.GetProperty("data"));

        var featurizer = new LogMelFeaturizer(FeatureSpec.Default with { SampleRate = rate, MelBins = melBins });
        float[] frames = new float[featurizer.FramesFor(samples.Length) * melBins];
        int produced = featurizer.Process(samples, frames);

        Assert.Equal(frameCount, produced);
        Assert.Equal(expected.Length, frames.Length);
        double maxDiff = 0;
        int worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(expected[i] - frames[i]);
            if (diff > maxDiff)
            {
                maxDiff = diff;
                worst = i;
            }
        }

        output.WriteLine($"{produced} frames, max abs diff {maxDiff:E2} (frame {worst / melBins}, mel {worst % melBins})");
        Assert.True(maxDiff < 1e-4, $"max abs diff {maxDiff} at frame {worst / melBins}, mel {worst % melBins}: expected {expected[worst]}, got {frames[worst]}");
    }

    /// <summary>Our frames against a direct, slow evaluation of the models/README.md formulas (DFT, filters from the definition).</summary>
    [Fact]
    public void Frames_MatchADirectEvaluationOfTheDefinition()
    {
        FeatureSpec spec = FeatureSpec.Default;
        float[] samples = TestFiles.SyntheticAudio(spec.WindowSamples + 4 * spec.HopSamples);
        var featurizer = new LogMelFeaturizer(spec);
        float[] frames = new float[5 * spec.MelBins];
        Assert.Equal(5, featurizer.Process(samples, frames));

        static double Mel(double f) => 2595 * Math.Log10(1 + f / 700);
        static double Hz(double m) => 700 * (Math.Pow(10, m / 2595) - 1);
        for (int i = 0; i < 5; i++)
        {
            int bins = spec.FftSize / 2 + 1;
            double[] power = new double[bins];
            for (int k = 0; k < bins; k++)
            {
                double re = 0, im = 0;
                for (int n = 0; n < spec.WindowSamples; n++)
                {
                    double x = samples[i * spec.HopSamples + n] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * n / spec.WindowSamples));
                    re += x * Math.Cos(2 * Math.PI * k * n / spec.FftSize);
                    im -= x * Math.Sin(2 * Math.PI * k * n / spec.FftSize);
                }

                power[k] = re * re + im * im;
            }

            for (int m = 0; m < spec.MelBins; m++)
            {
                double step = (Mel(spec.FmaxHz) - Mel(spec.FminHz)) / (spec.MelBins + 1);
                double lo = Hz(Mel(spec.FminHz) + m * step), c = Hz(Mel(spec.FminHz) + (m + 1) * step), hi = Hz(Mel(spec.FminHz) + (m + 2) * step);
                double energy = 0;
                for (int k = 0; k < bins; k++)
                {
                    double f = (double)k * spec.SampleRate / spec.FftSize;
                    energy += Math.Max(0, Math.Min((f - lo) / (c - lo), (hi - f) / (hi - c))) * power[k];
                }

                double expected = Math.Log(energy + spec.LogFloor);
                Assert.True(Math.Abs(expected - frames[i * spec.MelBins + m]) < 1e-4, $"frame {i} mel {m}: expected {expected}, got {frames[i * spec.MelBins + m]}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(159)]
    [InlineData(160)]
    [InlineData(401)]
    [InlineData(1280)]
    public void StreamingInChunks_GivesTheSameFramesAsOneCall(int chunk)
    {
        FeatureSpec spec = FeatureSpec.Default;
        float[] samples = TestFiles.SyntheticAudio(16000 + 123);
        var whole = new LogMelFeaturizer(spec);
        float[] expected = new float[whole.FramesFor(samples.Length) * spec.MelBins];
        int expectedFrames = whole.Process(samples, expected);
        Assert.Equal(99, expectedFrames); // (16123 - 400) / 160 + 1

        var streaming = new LogMelFeaturizer(spec);
        float[] actual = new float[expected.Length];
        float[] scratch = new float[(chunk / spec.HopSamples + 2) * spec.MelBins];
        int frames = 0;
        for (int start = 0; start < samples.Length; start += chunk)
        {
            Span<float> part = samples.AsSpan(start, Math.Min(chunk, samples.Length - start));
            int n = streaming.Process(part, scratch);
            scratch.AsSpan(0, n * spec.MelBins).CopyTo(actual.AsSpan(frames * spec.MelBins));
            frames += n;
        }

        Assert.Equal(expectedFrames, frames);
        Assert.Equal(expected, actual); // bit-identical: the same samples go through the same code
    }

    [Fact]
    public void Reset_StartsANewStream()
    {
        FeatureSpec spec = FeatureSpec.Default;
        float[] samples = TestFiles.SyntheticAudio(2000);
        var featurizer = new LogMelFeaturizer(spec);
        float[] first = new float[featurizer.FramesFor(samples.Length) * spec.MelBins];
        featurizer.Process(samples, first);
        featurizer.Process(samples.AsSpan(0, 50), new float[spec.MelBins]); // leaves samples pending
        featurizer.Reset();
        float[] second = new float[first.Length];
        Assert.Equal(first.Length / spec.MelBins, featurizer.Process(samples, second));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Process_RejectsAFrameBufferThatIsTooSmall()
    {
        var featurizer = new LogMelFeaturizer(FeatureSpec.Default);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => featurizer.Process(new float[800], new float[40]));
        Assert.Contains("3 frames", ex.Message);
    }

    [Fact]
    public void Process_AllocatesNothingInSteadyState()
    {
        var featurizer = new LogMelFeaturizer(FeatureSpec.Default);
        float[] samples = TestFiles.SyntheticAudio(160 * 200);
        float[] frames = new float[2 * 40];
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 200; i++)
            {
                featurizer.Process(samples.AsSpan(i * 160, 160), frames);
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            featurizer.Process(samples.AsSpan(i * 160, 160), frames);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(0, 400, 160, 512, 40, 20f, 7600f, 1e-6f, "sample_rate")]
    [InlineData(16000, 400, 0, 512, 40, 20f, 7600f, 1e-6f, "hop_samples")]
    [InlineData(16000, 400, 160, 300, 40, 20f, 7600f, 1e-6f, "fft_size")]
    [InlineData(16000, 400, 160, 512, 0, 20f, 7600f, 1e-6f, "mel_bins")]
    [InlineData(16000, 400, 160, 512, 40, 20f, 9000f, 1e-6f, "fmax")]
    [InlineData(16000, 400, 160, 512, 40, 20f, 7600f, 0f, "log_floor")]
    public void Constructor_RejectsAnUnsupportedSpec_NamingTheValue(int rate, int window, int hop, int fft, int mels, float fmin, float fmax, float floor, string name)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new LogMelFeaturizer(new FeatureSpec(rate, window, hop, fft, mels, fmin, fmax, floor)));
        Assert.Contains(name, ex.Message);
    }
}
