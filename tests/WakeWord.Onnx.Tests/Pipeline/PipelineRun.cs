using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.Pipeline;

/// <summary>Feeds audio through a pipeline in chunks of a given size and records every event and every score.</summary>
internal sealed class PipelineRun
{
    public List<WakeEvent> Events { get; } = [];

    /// <summary>Scores per model index, in step order.</summary>
    public List<float>[] Scores { get; }

    public bool Completed { get; private set; }

    /// <summary>One model file with its recommended threshold and refractory time over a WAV of tests/data/audio, as a user runs it.</summary>
    public static PipelineRun WithRecommendedSettings(string modelPath, string audioFile)
    {
        (int _, float[] audio) = TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", audioFile));
        using IWakeWordModel scorer = OnnxModelLoader.Load(modelPath);
        ModelInfo info = scorer.Info;
        using var pipeline = new WakeWordPipeline([new PipelineModel(scorer, [new DetectorSettings(info.RecommendedThreshold, 1, info.RecommendedRefractorySeconds)])]);
        return new PipelineRun(pipeline, audio, 1280);
    }

    public PipelineRun(WakeWordPipeline pipeline, ReadOnlySpan<float> audio, int chunk)
    {
        Scores = [.. Enumerable.Range(0, pipeline.Models.Count).Select(_ => new List<float>())];
        pipeline.ScoreObserver = (model, step, p) =>
        {
            Assert.Equal(Scores[model].Count, step);
            Scores[model].Add(p);
        };
        using IDisposable subscription = pipeline.Events.Subscribe(Events.Add, ex => throw ex, () => Completed = true);
        for (int start = 0; start < audio.Length; start += chunk)
        {
            pipeline.Process(audio.Slice(start, Math.Min(chunk, audio.Length - start)));
        }
    }
}
