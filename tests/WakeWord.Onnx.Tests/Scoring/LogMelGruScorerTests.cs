using System.Text.Json;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.LogMel;
using WakeWord.Onnx.Tests.TestSupport;
using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.Scoring;

public sealed class LogMelGruScorerTests
{
    private const float Tolerance = 1e-4f;

    private static (float[] Features, float[] Probabilities) Golden()
    {
        JsonElement golden = TestFiles.ReadJson(TestFiles.Require("tests", "data", "golden", "tiny_forward.json"));
        return (TestFiles.FloatArray(golden.GetProperty("features")), TestFiles.FloatArray(golden.GetProperty("probs")));
    }

    [Fact]
    public void OneCall_MatchesThePythonForwardPass()
    {
        (float[]? features, float[]? expected) = Golden();
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        using var model = (LogMelGruScorer)loaded.CreateScorer();
        float[] probabilities = new float[expected.Length];
        Assert.Equal(expected.Length, model.Score(features, probabilities));
        Approx.AssertClose(expected, probabilities, Tolerance, "one call");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void ChunkedFeeding_GivesTheSameProbabilitiesAsOneCall(int framesPerCall)
    {
        (float[]? features, float[]? expected) = Golden();
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        using var model = (LogMelGruScorer)loaded.CreateScorer();
        float[] all = new float[expected.Length];
        float[] buffer = new float[framesPerCall / 3 + 2];
        int written = 0;
        for (int frame = 0; frame * 40 < features.Length; frame += framesPerCall)
        {
            int count = Math.Min(framesPerCall, features.Length / 40 - frame);
            int n = model.Score(features.AsSpan(frame * 40, count * 40), buffer);
            buffer.AsSpan(0, n).CopyTo(all.AsSpan(written));
            written += n;
        }

        Assert.Equal(expected.Length, written);
        Assert.Equal(0, model.PendingFrames);
        Approx.AssertClose(expected, all, Tolerance, $"{framesPerCall} frames per call");
    }

    [Fact]
    public void MoreStepsThanOneRun_AreSplitAndStillMatch()
    {
        (float[]? features, float[] _) = Golden();
        float[] longer = [.. features, .. features, .. features]; // 441 frames, 147 steps: three runs of at most 64
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        using var model = (LogMelGruScorer)loaded.CreateScorer();
        float[] once = new float[147];
        Assert.Equal(147, model.Score(longer, once));

        model.Reset();
        float[] piecewise = new float[147];
        int written = 0;
        for (int frame = 0; frame < 441; frame += 30)
        {
            written += model.Score(longer.AsSpan(frame * 40, Math.Min(30, 441 - frame) * 40), piecewise.AsSpan(written));
        }

        Assert.Equal(147, written);
        Approx.AssertClose(once, piecewise, 1e-5f, "split runs");
    }

    [Fact]
    public void Reset_ReturnsToTheStartState()
    {
        (float[]? features, float[]? expected) = Golden();
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        using var model = (LogMelGruScorer)loaded.CreateScorer();
        float[] probabilities = new float[expected.Length];
        model.Score(features, probabilities);
        model.Score(features.AsSpan(0, 40), probabilities); // one frame left pending
        Assert.Equal(1, model.PendingFrames);

        model.Reset();
        Assert.Equal(0, model.PendingFrames);
        Assert.Equal(expected.Length, model.Score(features, probabilities));
        Approx.AssertClose(expected, probabilities, Tolerance, "after reset");
    }

    [Fact]
    public void StateIsCarried_SoASecondPassDiffersFromTheFirst()
    {
        // Without carried state the second pass would repeat the first: this would catch a runner that drops it.
        (float[]? features, float[]? expected) = Golden();
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        using var model = (LogMelGruScorer)loaded.CreateScorer();
        float[] probabilities = new float[expected.Length];
        model.Score(features, probabilities);
        model.Score(features, probabilities);
        float maxDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - probabilities[i]));
        }

        Assert.True(maxDiff > 1e-3f, $"second pass equals the first (max diff {maxDiff})");
    }

    [Fact]
    public void Score_RejectsPartialFramesAndTooSmallOutput()
    {
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        using var model = (LogMelGruScorer)loaded.CreateScorer();
        Assert.Throws<ArgumentException>(() => model.Score(new float[41], new float[1]));
        ArgumentException ex = Assert.Throws<ArgumentException>(() => model.Score(new float[6 * 40], new float[1]));
        Assert.Contains("2 steps", ex.Message);
    }

    [Fact]
    public void TwoStreamsOnOneModel_KeepTheirOwnState()
    {
        // Interleaved calls of two scorers on one session give each the probabilities it gives alone.
        (float[]? features, float[]? expected) = Golden();
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        using IWakeWordScorer a = loaded.CreateScorer();
        using IWakeWordScorer b = loaded.CreateScorer();
        float[] pa = new float[expected.Length];
        float[] pb = new float[expected.Length];
        float[] reversed = [.. Enumerable.Range(0, features.Length / 40).Reverse().SelectMany(f => features.AsSpan(f * 40, 40).ToArray())];
        float[] alone = new float[expected.Length];
        using (IWakeWordScorer c = loaded.CreateScorer())
        {
            c.Score(reversed, alone);
        }

        int wa = 0, wb = 0;
        for (int frame = 0; frame * 40 < features.Length; frame += 9)
        {
            int count = Math.Min(9, features.Length / 40 - frame);
            wa += a.Score(features.AsSpan(frame * 40, count * 40), pa.AsSpan(wa));
            wb += b.Score(reversed.AsSpan(frame * 40, count * 40), pb.AsSpan(wb));
        }

        Approx.AssertClose(expected, pa, Tolerance, "stream a");
        Approx.AssertClose(alone, pb, Tolerance, "stream b");
    }

    [Fact]
    public async Task StreamsOnOneModel_RunInParallel()
    {
        (float[]? features, float[]? expected) = Golden();
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        float[][] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            using IWakeWordScorer scorer = loaded.CreateScorer();
            float[] p = new float[expected.Length];
            for (int i = 0; i < 20; i++)
            {
                scorer.Reset();
                scorer.Score(features, p);
            }

            return p;
        })));
        foreach (float[] p in results)
        {
            Approx.AssertClose(expected, p, Tolerance, "parallel stream");
        }
    }

    [Fact]
    public void Score_AllocatesNothingInSteadyState()
    {
        (float[]? features, float[] _) = Golden();
        using IWakeWordModel loaded = OnnxModelLoader.Load(Models.Tiny);
        using var model = (LogMelGruScorer)loaded.CreateScorer();
        float[] chunk = features.AsSpan(0, 8 * 40).ToArray(); // 8 frames: alternately 2 and 3 steps per call
        float[] probabilities = new float[4];
        for (int i = 0; i < 500; i++)
        {
            model.Score(chunk, probabilities);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            model.Score(chunk, probabilities);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
