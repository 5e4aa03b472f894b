using WakeWord.Core.Detection;
using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Tests.TestSupport;
using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.Pipeline;

public sealed class WakeWordPipelineTests : IDisposable
{
    private static readonly DateTimeOffset FixedNow = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // Pipelines own only their streams' state; the models they run are disposed with the test.
    private readonly List<IWakeWordModel> _loaded = [];

    public void Dispose()
    {
        foreach (IWakeWordModel model in _loaded)
        {
            model.Dispose();
        }
    }

    private IWakeWordModel Load(string path)
    {
        IWakeWordModel model = OnnxModelLoader.Load(path);
        _loaded.Add(model);
        return model;
    }

    private static float[] Audio(string name = "computer_real_1.wav")
    {
        (int rate, float[]? samples) = TestFiles.ReadPcm16MonoWav(TestFiles.Require("tests", "data", "audio", name));
        Assert.Equal(16000, rate);
        return samples;
    }

    private WakeWordPipeline Pipeline(params DetectorSettings[] detectors) =>
        new([new PipelineModel(Load(Models.Tiny), detectors)], new FixedTimeProvider(FixedNow));

    /// <summary>Thresholds inside the range the tiny model's scores take on this audio, so events do happen.</summary>
    private DetectorSettings[] DetectorsThatFire(float[] audio)
    {
        using WakeWordPipeline probe = Pipeline();
        List<float> scores = new PipelineRun(probe, audio, audio.Length).Scores[0];
        float lo = scores.Min(), hi = scores.Max();
        Assert.True(hi - lo > 0.02f, $"scores too flat to test with ({lo}..{hi})");
        return
        [
            new DetectorSettings(lo + 0.3f * (hi - lo), 1, 0),
            new DetectorSettings(lo + 0.6f * (hi - lo), 2, 0.2),
            new DetectorSettings(lo + 0.9f * (hi - lo), 1, 1.0),
        ];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(160)]
    [InlineData(1280)]
    public void Chunks_GiveTheSameScoresAndEventsAsOneCall(int chunk)
    {
        float[] audio = Audio();
        DetectorSettings[] detectors = DetectorsThatFire(audio);

        using WakeWordPipeline whole = Pipeline(detectors);
        var expected = new PipelineRun(whole, audio, audio.Length);
        using WakeWordPipeline chunked = Pipeline(detectors);
        var actual = new PipelineRun(chunked, audio, chunk);

        Assert.NotEmpty(expected.Events);
        Assert.Equal(audio.Length, chunked.SamplesProcessed);
        Assert.Equal(expected.Scores[0].Count, actual.Scores[0].Count);
        for (int i = 0; i < expected.Scores[0].Count; i++)
        {
            Assert.True(Math.Abs(expected.Scores[0][i] - actual.Scores[0][i]) <= 1e-5f, $"step {i}: {expected.Scores[0][i]} vs {actual.Scores[0][i]}");
        }

        Assert.Equal(expected.Events.Select(e => (e.Threshold, e.AudioOffset)), actual.Events.Select(e => (e.Threshold, e.AudioOffset)));
        for (int i = 0; i < expected.Events.Count; i++)
        {
            Assert.Equal(expected.Events[i].Score, actual.Events[i].Score, 1e-5f);
        }
    }

    [Fact]
    public void Events_CarryTheModel_TheStepTime_AndTheClock()
    {
        float[] audio = Audio();
        float threshold = DetectorsThatFire(audio)[0].Threshold;
        using WakeWordPipeline pipeline = Pipeline(new DetectorSettings(threshold, 1, 0));
        var run = new PipelineRun(pipeline, audio, 1000);

        // Leading edge, K = 1, no refractory: an event at every step at or above the threshold whose predecessor was below.
        List<float> scores = run.Scores[0];
        var expectedSteps = Enumerable.Range(0, scores.Count).Where(j => scores[j] >= threshold && (j == 0 || scores[j - 1] < threshold)).ToList();
        Assert.NotEmpty(expectedSteps);
        Assert.Equal(expectedSteps.Count, run.Events.Count);
        for (int i = 0; i < expectedSteps.Count; i++)
        {
            int j = expectedSteps[i];
            WakeEvent e = run.Events[i];
            Assert.Equal("computer", e.Word);
            Assert.Equal("tiny", e.ModelId);
            Assert.Equal(threshold, e.Threshold);
            Assert.Equal(scores[j], e.Score);
            Assert.Equal(FixedNow, e.TimeUtc);

            // models/README.md: step j is available once sample ((j + 1) * 3 - 1) * 160 + 400 has arrived.
            Assert.Equal(TimeSpan.FromSeconds((((j + 1) * 3 - 1) * 160 + 400) / 16000.0), e.AudioOffset);
        }
    }

    [Fact]
    public void EventsAreRaisedDuringTheProcessCallThatCompletesTheStep()
    {
        float[] audio = Audio();
        float threshold = DetectorsThatFire(audio)[0].Threshold;
        using WakeWordPipeline pipeline = Pipeline(new DetectorSettings(threshold, 1, 0));
        var seenAt = new List<(TimeSpan Offset, long Samples)>();
        var threads = new HashSet<int>();
        using IDisposable _ = pipeline.Events.Subscribe(e =>
        {
            seenAt.Add((e.AudioOffset, pipeline.SamplesProcessed));
            threads.Add(Environment.CurrentManagedThreadId);
        });
        for (int start = 0; start < audio.Length; start += 160)
        {
            pipeline.Process(audio.AsSpan(start, Math.Min(160, audio.Length - start)));
        }

        Assert.NotEmpty(seenAt);
        Assert.Equal([Environment.CurrentManagedThreadId], threads); // synchronously, on the thread that calls Process
        foreach ((TimeSpan offset, long samples) in seenAt)
        {
            // Raised in the 160-sample call that delivered the step's last sample, not later.
            long stepSample = (long)Math.Round(offset.TotalSeconds * 16000);
            Assert.InRange(samples, stepSample, stepSample + 159);
        }
    }

    [Fact]
    public void TwoModels_ShareOneFrontEnd_AndEachHasItsOwnDetectors()
    {
        float[] audio = Audio();
        DetectorSettings[] detectors = DetectorsThatFire(audio);
        string copy = OnnxMetadataEditor.WriteEdited(Models.Tiny, m => m["wakeword.word"] = "komputer", "second.onnx");
        using var pipeline = new WakeWordPipeline(
        [
            new PipelineModel(Load(Models.Tiny), [detectors[0]]),
            new PipelineModel(Load(copy), [detectors[0], detectors[2]]),
        ]);
        var run = new PipelineRun(pipeline, audio, 1280);

        Assert.Equal(1, pipeline.FrontEndCount);
        Assert.Equal(run.Scores[0], run.Scores[1]);
        int first = run.Events.Count(e => e.ModelId == "tiny");
        int second = run.Events.Count(e => e.ModelId == "second");
        Assert.True(first > 0);
        Assert.True(second > first, $"the second model has an extra detector: {first} vs {second} events");
        Assert.All(run.Events.Where(e => e.ModelId == "second"), e => Assert.Equal("komputer", e.Word));
    }

    [Fact]
    public void ModelsWithDifferentFeatures_GetAFrontEndEach_AndScoreAsAlone()
    {
        float[] audio = Audio();
        string other = OnnxMetadataEditor.WriteEdited(Models.Tiny, m => m["feature.fmin_hz"] = "30.0", "other.onnx");
        using var both = new WakeWordPipeline(
        [
            new PipelineModel(Load(Models.Tiny), [new DetectorSettings(0.5f)]),
            new PipelineModel(Load(other), [new DetectorSettings(0.5f)]),
        ]);
        using var alone = new WakeWordPipeline([new PipelineModel(Load(other), [new DetectorSettings(0.5f)])]);
        Assert.Equal(2, both.FrontEndCount);
        var run = new PipelineRun(both, audio, 1280);
        var single = new PipelineRun(alone, audio, 1280);
        Assert.Equal(single.Scores[0], run.Scores[1]);
        Assert.NotEqual(run.Scores[0], run.Scores[1]);
    }

    [Fact]
    public void ModelsWithDifferentSampleRates_AreRefused_NamingBoth()
    {
        string other = OnnxMetadataEditor.WriteEdited(Models.Tiny, m =>
        {
            m["feature.sample_rate"] = "8000";
            m["feature.fmax_hz"] = "3800.0";
        }, "other.onnx");
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new WakeWordPipeline(
        [
            new PipelineModel(Load(Models.Tiny), [new DetectorSettings(0.5f)]),
            new PipelineModel(Load(other), [new DetectorSettings(0.5f)]),
        ]));
        Assert.Contains("'other'", ex.Message);
        Assert.Contains("'tiny'", ex.Message);
        Assert.Contains("8000 Hz", ex.Message);
    }

    [Fact]
    public void InvalidDetectorSettings_AreRefused_NamingTheModelAndValue()
    {
        IWakeWordModel scorer = Load(Models.Tiny);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new WakeWordPipeline([new PipelineModel(scorer, [new DetectorSettings(0.5f), new DetectorSettings(1.2f)])]));
        Assert.Contains("Detector 1 of model 'tiny'", ex.Message);
        Assert.Contains("got 1.2", ex.Message);
    }

    [Fact]
    public void UpdateDetector_ChangesTheThresholdLive()
    {
        float[] audio = Audio();
        using WakeWordPipeline pipeline = Pipeline(new DetectorSettings(1f, 1, 0));
        Assert.Empty(new PipelineRun(pipeline, audio, 1280).Events);

        pipeline.Reset();
        pipeline.UpdateDetector(0, 0, DetectorsThatFire(audio)[0]);
        Assert.Equal(DetectorsThatFire(audio)[0], pipeline.GetDetectorSettings(0, 0));
        Assert.NotEmpty(new PipelineRun(pipeline, audio, 1280).Events);
        Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.UpdateDetector(0, 1, new DetectorSettings(0.5f)));
        Assert.Throws<ArgumentException>(() => pipeline.UpdateDetector(0, 0, new DetectorSettings(0.5f, 0)));
    }

    [Fact]
    public void Reset_GivesTheSameRunAgain()
    {
        float[] audio = Audio();
        using WakeWordPipeline pipeline = Pipeline(DetectorsThatFire(audio));
        var first = new PipelineRun(pipeline, audio, 1280);
        pipeline.ScoreObserver = null;
        pipeline.Process(audio.AsSpan(0, 777));
        pipeline.Reset();
        Assert.Equal(0, pipeline.SamplesProcessed);
        var second = new PipelineRun(pipeline, audio, 1280);
        Assert.Equal(first.Scores[0], second.Scores[0]);
        Assert.Equal(first.Events, second.Events);
    }

    [Fact]
    public void ContinueStreamAt_StartsFreshModelsButCountsOffsetsFromTheStreamStart()
    {
        float[] audio = Audio();
        DetectorSettings[] detectors = DetectorsThatFire(audio);
        using WakeWordPipeline first = Pipeline(detectors);
        var fresh = new PipelineRun(first, audio, 1600);

        // A reload after 12345 samples: the new pipeline hears the same audio from a fresh state.
        using WakeWordPipeline taking = Pipeline(detectors);
        taking.ContinueStreamAt(12345);
        var continued = new PipelineRun(taking, audio, 1600);

        Assert.NotEmpty(fresh.Events);
        Assert.Equal(12345 + audio.Length, taking.SamplesProcessed);
        Assert.Equal(fresh.Scores[0], continued.Scores[0]);
        Assert.Equal(
            fresh.Events.Select(e => e.AudioOffset + TimeSpan.FromTicks(12345 * TimeSpan.TicksPerSecond / 16000)),
            continued.Events.Select(e => e.AudioOffset));
        Assert.Throws<InvalidOperationException>(() => taking.ContinueStreamAt(0));
        taking.Reset();
        Assert.Equal(0, taking.SamplesProcessed);
        Assert.Equal(fresh.Events.Select(e => e.AudioOffset), new PipelineRun(taking, audio, 1600).Events.Select(e => e.AudioOffset));
    }

    [Fact]
    public void Dispose_CompletesTheEvents()
    {
        WakeWordPipeline pipeline = Pipeline(new DetectorSettings(0.5f));
        bool completed = false;
        using IDisposable _ = pipeline.Events.Subscribe(_ => { }, () => completed = true);
        pipeline.Dispose();
        Assert.True(completed);
        Assert.Throws<ObjectDisposedException>(() => pipeline.Process(new float[10]));
    }

    [Theory]
    [InlineData(160)]
    [InlineData(1280)]
    public void SteadyState_AllocatesNothing(int chunk)
    {
        float[] audio = Audio("negatives_long.wav");
        // Detectors run but cannot fire (a run of a million steps), so the measured stretch has no event objects.
        using WakeWordPipeline pipeline = Pipeline(new DetectorSettings(0f, 1_000_000, 1), new DetectorSettings(0.5f, 1_000_000, 0));
        long steps = 0;
        pipeline.ScoreObserver = (_, step, _) => steps = step;
        int warmup = 16000 * 20;
        for (int start = 0; start < warmup; start += chunk)
        {
            pipeline.Process(audio.AsSpan(start, chunk));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int start = warmup; start + chunk <= audio.Length; start += chunk)
        {
            pipeline.Process(audio.AsSpan(start, chunk));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(steps > 1000, $"only {steps} steps ran");
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
