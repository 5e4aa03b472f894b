using System.Globalization;
using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Tests.Pipeline;
using WakeWord.Onnx.Tests.TestSupport;
using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.Heads;

/// <summary>
/// A staggered head (training/staggered_export.py): its GRU copies and step counter are graph state, one embedding per
/// call. Checked against training's scoring of the same head, which runs each output over the steps its copy heard;
/// the ensemble's heads are packed in one GRU node per layer, and its golden is the mean of training's heads.
/// </summary>
public sealed class StaggeredHeadTests
{
    private const int Width = 96;

    private static (float[] Embeddings, float[] Probabilities) Golden() => HeadGolden.Read("tiny_staggered_head");

    [Theory]
    [InlineData("tiny_staggered_head", 1)]
    [InlineData("tiny_staggered_head", 7)]
    [InlineData("tiny_staggered_head", 200)]
    [InlineData("tiny_staggered_ensemble", 1)]
    [InlineData("tiny_staggered_ensemble", 7)]
    public void Scorer_MatchesThePythonForwardPass_InAnySplit(string name, int stepsPerCall)
    {
        (float[] embeddings, float[] expected) = HeadGolden.Read(name);
        using IWakeWordModel model = OnnxModelLoader.Load(TestFiles.Require("tests", "data", "models", $"{name}.onnx"));
        using IWakeWordScorer scorer = model.CreateScorer();
        var got = new List<float>();
        float[] buffer = new float[stepsPerCall];
        for (int step = 0; step < expected.Length; step += stepsPerCall)
        {
            int n = Math.Min(stepsPerCall, expected.Length - step);
            got.AddRange(buffer.AsSpan(0, scorer.Score(embeddings.AsSpan(step * Width, n * Width), buffer)).ToArray());
        }

        Approx.AssertClose(expected, got, 1e-4f, $"{name}, {stepsPerCall} steps per call");
        Assert.True(expected.Max() - expected.Min() > 0.05f, "the golden's probabilities move");
    }

    [Fact]
    public void Reset_StartsTheCopiesAndTheCounterAgain()
    {
        (float[] embeddings, float[] expected) = Golden();
        using IWakeWordModel model = OnnxModelLoader.Load(Models.TinyStaggeredHead);
        using IWakeWordScorer scorer = model.CreateScorer();
        scorer.Score(embeddings.AsSpan(0, 11 * Width), new float[11]); // leaves the counter mid-period
        scorer.Reset();
        float[] again = new float[expected.Length];
        scorer.Score(embeddings, again);
        Approx.AssertClose(expected, again, 1e-4f, "after Reset");
    }

    [Fact]
    public void NothingOlderThanTheWindow_ReachesAnOutput()
    {
        // The property that rules out drift: two streams with different histories of the same length (so the copies
        // are in the same phase) give the same outputs once a window of the same embeddings has passed.
        (float[] embeddings, float[] _) = Golden();
        using IWakeWordModel model = OnnxModelLoader.Load(Models.TinyStaggeredHead);
        int window = int.Parse(model.Info.Metadata["model.window_steps"], CultureInfo.InvariantCulture);
        float[][] outputs = new float[2][];
        for (int s = 0; s < 2; s++)
        {
            using IWakeWordScorer scorer = model.CreateScorer();
            var random = new Random(3 + s);
            float[] history = [.. Enumerable.Range(0, 500 * Width).Select(_ => (float)(random.NextDouble() * 40 - 20))];
            scorer.Score(history, new float[500]);
            outputs[s] = new float[embeddings.Length / Width];
            scorer.Score(embeddings, outputs[s]);
        }

        Approx.AssertClose(outputs[0][window..], outputs[1][window..], 1e-5f, "after two different histories");
        Assert.True(Math.Abs(outputs[0][0] - outputs[1][0]) > 1e-4f, "the first outputs do see the history");
    }

    [Fact]
    public void AudioThroughThePipeline_GivesTrainingsProbabilities() =>
        HeadGolden.AssertPipelineGivesTrainingsProbabilities(Models.TinyStaggeredHead, "tiny_staggered_head");

    [Fact]
    public void EnsembleAudioThroughThePipeline_GivesTrainingsProbabilities() =>
        HeadGolden.AssertPipelineGivesTrainingsProbabilities(Models.TinyStaggeredEnsemble, "tiny_staggered_ensemble");

    [Fact]
    public void Pipeline_AllocatesNothingInSteadyState() => HeadModelTests.AssertNoSteadyStateAllocation(Models.TinyStaggeredHead);

    [Fact]
    public void EnsemblePipeline_AllocatesNothingInSteadyState() =>
        HeadModelTests.AssertNoSteadyStateAllocation(Models.TinyStaggeredEnsemble);

    [Fact]
    public void AHeadWithAFixedTimeAxisOtherThanOne_IsRefused()
    {
        string path = TestFiles.Require("tests", "data", "models", "invalid", "bad_head_three_steps.onnx");
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("has 3 steps on its time axis", ex.Message);
    }
}
