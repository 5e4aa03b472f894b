using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Heads;
using WakeWord.Onnx.Tests.Pipeline;
using WakeWord.Onnx.Tests.TestSupport;
using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.Heads;

/// <summary>A <c>wakeword-head-v1</c> model on the shipped speech-embedding front end, against training's forward pass.</summary>
public sealed class HeadModelTests
{
    private static (float[] Embeddings, float[] Probabilities) Golden() => HeadGolden.Read("tiny_head");

    [Fact]
    public void Load_ReadsTheHeadAndFindsItsFrontEnd()
    {
        using IWakeWordModel model = OnnxModelLoader.Load(Models.TinyHead);
        Assert.Equal("computer", model.Info.Word);
        Assert.Equal("speech_embedding", model.Info.FrontEnd.Kind);
        Assert.Equal(model.Info.Metadata[HeadContract.FrontEndSha256Key], model.Info.FrontEnd.Identity);
        Assert.Equal(1, model.Info.RowsPerStep);
        Assert.Equal(0.08, model.Info.StepSeconds, 9);
        Assert.Equal(1280, model.Info.Timing.SampleAvailable(0));
    }

    [Fact]
    public void Scorer_MatchesThePythonForwardPass_InAnySplit()
    {
        (float[] embeddings, float[] expected) = Golden();
        using IWakeWordModel model = OnnxModelLoader.Load(Models.TinyHead);
        using IWakeWordScorer scorer = model.CreateScorer();
        float[] probabilities = new float[expected.Length];
        Assert.Equal(expected.Length, scorer.Score(embeddings, probabilities));
        Approx.AssertClose(expected, probabilities, 1e-4f, "one call");

        scorer.Reset();
        var split = new List<float>();
        float[] buffer = new float[7];
        for (int step = 0; step < expected.Length; step += 7)
        {
            int n = Math.Min(7, expected.Length - step);
            split.AddRange(buffer.AsSpan(0, scorer.Score(embeddings.AsSpan(step * 96, n * 96), buffer)).ToArray());
        }

        Approx.AssertClose(expected, split, 1e-4f, "7 steps per call");
    }

    [Fact]
    public void WhatCameBeforeTheWindow_DoesNotMatter()
    {
        // The head reads only the last window of embeddings: after any history, its outputs from one window into the
        // stream on are the fresh stream's. A head that carried a state for the whole stream drifted (went deaf after
        // a minute of speech without the word); this is the property that rules it out.
        (float[] embeddings, float[] expected) = Golden();
        using IWakeWordModel model = OnnxModelLoader.Load(Models.TinyHead);
        int window = int.Parse(model.Info.Metadata["model.window_steps"], System.Globalization.CultureInfo.InvariantCulture);
        using IWakeWordScorer scorer = model.CreateScorer();
        var random = new Random(3);
        float[] history = [.. Enumerable.Range(0, 500 * 96).Select(_ => (float)(random.NextDouble() * 40 - 20))];
        scorer.Score(history, new float[500]);
        float[] after = new float[expected.Length];
        scorer.Score(embeddings, after);
        Approx.AssertClose(expected[(window - 1)..], after[(window - 1)..], 1e-5f, "after 500 steps of other embeddings");
        Assert.True(Math.Abs(expected[0] - after[0]) > 1e-4f, "the first steps do see the history (inside the window)");
    }

    [Fact]
    public void AudioThroughThePipeline_GivesTrainingsProbabilities() =>
        HeadGolden.AssertPipelineGivesTrainingsProbabilities(Models.TinyHead, "tiny_head");

    [Fact]
    public void TwoHeadsOnOneFrontEnd_LoadItOnce_AndComputeItOnce()
    {
        string copy = OnnxMetadataEditor.WriteEdited(Models.TinyHead, m => m["wakeword.word"] = "komputer", "second.onnx");
        using ModelSet models = OnnxModelLoader.LoadAll([Models.TinyHead, copy]);
        Assert.Equal(1, models.FrontEndsLoaded);
        Assert.Same(models[0].FrontEnd, models[1].FrontEnd);
        using var pipeline = new WakeWordPipeline([.. models.Select(m => new PipelineModel(m, [new DetectorSettings(0.5f)]))]);
        Assert.Equal(1, pipeline.FrontEndCount);
        float[] audio = TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", "computer_real_1.wav")).Samples;
        var run = new PipelineRun(pipeline, audio, 1600);
        Assert.Equal(run.Scores[0], run.Scores[1]);
    }

    [Fact]
    public async Task PipelinesOnOneLoadedModel_RunInParallel_EachWithItsOwnStream()
    {
        // `detect a.wav b.wav` and `tune` score files on several threads against one loaded model set: one front-end
        // session and one head session, a pipeline (front-end stream and scorer state) per file.
        using ModelSet models = OnnxModelLoader.LoadAll([Models.TinyHead]);
        string[] files = ["computer_real_1.wav", "negatives_long.wav", "computer_real_2.wav", "computer_synth_noisy.wav"];
        float[][] audio = [.. files.Select(f => TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", f)).Samples)];
        List<float> Run(float[] samples)
        {
            using var pipeline = new WakeWordPipeline([new PipelineModel(models[0], [new DetectorSettings(0.5f)])]);
            return new PipelineRun(pipeline, samples, 1600).Scores[0];
        }

        List<float>[] alone = [.. audio.Select(Run)];
        List<float>[] together = await Task.WhenAll(Enumerable.Range(0, 3 * files.Length).Select(i => Task.Run(() => Run(audio[i % files.Length]))));
        for (int i = 0; i < together.Length; i++)
        {
            Assert.Equal(alone[i % files.Length], together[i]);
        }

        Assert.NotEqual(alone[0], alone[2]);
    }

    [Fact]
    public void AHeadAndALogMelModel_RunTogether_EachOnItsFrontEnd()
    {
        using ModelSet models = OnnxModelLoader.LoadAll([Models.TinyHead, Models.Tiny]);
        using var pipeline = new WakeWordPipeline([.. models.Select(m => new PipelineModel(m, [new DetectorSettings(0.5f)]))]);
        Assert.Equal(2, pipeline.FrontEndCount);
        float[] audio = TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", "computer_real_1.wav")).Samples;
        var run = new PipelineRun(pipeline, audio, 1600);
        Assert.Equal(audio.Length / 1280, run.Scores[0].Count);
        Assert.Equal((audio.Length - 400) / 160 / 3 + ((audio.Length - 400) / 160 + 1) % 3 / 3, run.Scores[1].Count);
    }

    [Fact]
    public void AHeadForOtherFrontEndWeights_IsRefused_NamingBothHashes()
    {
        string wrong = new('a', 64);
        string path = OnnxMetadataEditor.WriteEdited(Models.TinyHead, m => m[HeadContract.FrontEndSha256Key] = wrong, "other_weights.onnx");
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(wrong, ex.Message);
        Assert.Contains("has sha256", ex.Message);
        Assert.Contains("other front-end weights", ex.Message);
    }

    [Fact]
    public void AHeadBoundToTheReplacedFrontEnd_RunsOnIt_BesideOneOnTheCurrent()
    {
        // speech_embedding before 2026-12-06 (mel power floor 1e-10), kept as models/frontends/speech_embedding-536f8878e0f8.onnx.
        const string replaced = "536f8878e0f8c5551d304a6ab11b83d7d45c3216672be24bd8909430933a1cdb";
        string old = OnnxMetadataEditor.WriteEdited(Models.TinyHead, m => m[HeadContract.FrontEndSha256Key] = replaced, "bound_to_replaced.onnx");
        using ModelSet models = OnnxModelLoader.LoadAll([Models.TinyHead, old]);
        Assert.Equal(replaced, models[1].Info.FrontEnd.Identity);
        Assert.NotEqual(replaced, models[0].Info.FrontEnd.Identity);

        List<float>[] Scores(string file)
        {
            using var pipeline = new WakeWordPipeline([.. models.Select(m => new PipelineModel(m, [new DetectorSettings(0.5f)]))]);
            Assert.Equal(2, pipeline.FrontEndCount);
            var run = new PipelineRun(pipeline, TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", file)).Samples, 1280);
            return [run.Scores[0], run.Scores[1]];
        }

        // Over a microphone's noise floor the two front ends agree; over exact zeros only the current one floors them.
        List<float>[] real = Scores("computer_real_1.wav");
        Approx.AssertClose([.. real[0]], [.. real[1]], 1e-4f, "current vs replaced front end over a noise floor");
        List<float>[] silence = Scores("computer_synth_silence.wav");
        Assert.True(silence[0].Zip(silence[1]).Max(p => Math.Abs(p.First - p.Second)) > 1e-3f, "the replaced front end was not the one used");
    }

    [Theory]
    [InlineData(HeadContract.FrontEndSha256Key, "xyz", "is not a sha256")]
    [InlineData(HeadContract.FrontEndKindKey, "whisper", "'frontend.kind' = 'whisper' is not supported")]
    [InlineData(HeadContract.EmbeddingDimKey, "95", "has shape")]
    [InlineData(HeadContract.EmbeddingDimKey, "100000", "above the most")]
    public void BadHeadMetadata_IsRefused_ByKey(string key, string value, string expected)
    {
        string path = OnnxMetadataEditor.WriteEdited(Models.TinyHead, m => m[key] = value, "bad_head.onnx");
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void AFrontEndGivenAsAModel_IsRefused_SayingWhereItBelongs()
    {
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxModelLoader.Load(Models.SpeechEmbedding));
        Assert.Contains("is a front end", ex.Message);
    }

    [Fact]
    public void Pipeline_AllocatesNothingInSteadyState() => AssertNoSteadyStateAllocation(Models.TinyHead);

    // The shipped model is an ensemble of heads in one graph: its own check.
    [ComputerModelFact]
    public void ShippedModel_AllocatesNothingInSteadyState() => AssertNoSteadyStateAllocation(Models.ComputerPath);

    /// <summary>After 200 chunks of warm-up, 200 more through the pipeline allocate nothing on this thread.</summary>
    internal static void AssertNoSteadyStateAllocation(string path)
    {
        float[] audio = TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", "computer_real_1.wav")).Samples;
        using IWakeWordModel model = OnnxModelLoader.Load(path);
        using var pipeline = new WakeWordPipeline([new PipelineModel(model, [new DetectorSettings(0.99f)])]);
        float[] chunk = audio.AsSpan(0, 1600).ToArray();
        for (int i = 0; i < 200; i++)
        {
            pipeline.Process(chunk);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            pipeline.Process(chunk);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
