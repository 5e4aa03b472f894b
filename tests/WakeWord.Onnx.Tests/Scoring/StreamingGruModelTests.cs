using System.Text.Json;
using WakeWord.Onnx.Tests.TestSupport;
using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.Scoring;

public sealed class StreamingGruModelTests
{
    private const float Tolerance = 1e-4f;

    private static (float[] Features, float[] Probabilities) Golden()
    {
        JsonElement golden = TestFiles.ReadJson(TestFiles.Require("tests", "data", "golden", "tiny_forward.json"));
        return (TestFiles.FloatArray(golden.GetProperty("features")), TestFiles.FloatArray(golden.GetProperty("probs")));
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}: step {i} expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void OneCall_MatchesThePythonForwardPass()
    {
        (float[]? features, float[]? expected) = Golden();
        using StreamingGruModel model = OnnxModelLoader.LoadStreaming(Models.Tiny);
        float[] probabilities = new float[expected.Length];
        Assert.Equal(expected.Length, model.Score(features, probabilities));
        AssertClose(expected, probabilities, Tolerance, "one call");
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
        using StreamingGruModel model = OnnxModelLoader.LoadStreaming(Models.Tiny);
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
        AssertClose(expected, all, Tolerance, $"{framesPerCall} frames per call");
    }

    [Fact]
    public void MoreStepsThanOneRun_AreSplitAndStillMatch()
    {
        (float[]? features, float[] _) = Golden();
        float[] longer = [.. features, .. features, .. features]; // 441 frames, 147 steps: three runs of at most 64
        using StreamingGruModel model = OnnxModelLoader.LoadStreaming(Models.Tiny);
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
        AssertClose(once, piecewise, 1e-5f, "split runs");
    }

    [Fact]
    public void Reset_ReturnsToTheStartState()
    {
        (float[]? features, float[]? expected) = Golden();
        using StreamingGruModel model = OnnxModelLoader.LoadStreaming(Models.Tiny);
        float[] probabilities = new float[expected.Length];
        model.Score(features, probabilities);
        model.Score(features.AsSpan(0, 40), probabilities); // one frame left pending
        Assert.Equal(1, model.PendingFrames);

        model.Reset();
        Assert.Equal(0, model.PendingFrames);
        Assert.Equal(expected.Length, model.Score(features, probabilities));
        AssertClose(expected, probabilities, Tolerance, "after reset");
    }

    [Fact]
    public void StateIsCarried_SoASecondPassDiffersFromTheFirst()
    {
        // Without carried state the second pass would repeat the first: this would catch a runner that drops it.
        (float[]? features, float[]? expected) = Golden();
        using StreamingGruModel model = OnnxModelLoader.LoadStreaming(Models.Tiny);
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
        using StreamingGruModel model = OnnxModelLoader.LoadStreaming(Models.Tiny);
        Assert.Throws<ArgumentException>(() => model.Score(new float[41], new float[1]));
        ArgumentException ex = Assert.Throws<ArgumentException>(() => model.Score(new float[6 * 40], new float[1]));
        Assert.Contains("2 steps", ex.Message);
    }

    [Fact]
    public void Score_AllocatesNothingInSteadyState()
    {
        (float[]? features, float[] _) = Golden();
        using StreamingGruModel model = OnnxModelLoader.LoadStreaming(Models.Tiny);
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
