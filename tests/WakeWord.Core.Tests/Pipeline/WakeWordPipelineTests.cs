using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Tests.TestSupport;

namespace WakeWord.Core.Tests.Pipeline;

/// <summary>The pipeline on fake front ends and models: chunking, step timing, shared front ends, reset, ownership.</summary>
public sealed class WakeWordPipelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Silence with the "word" (a run of 0.9) from 1.0 s to 1.3 s, then silence again.</summary>
    private static float[] Audio(int seconds = 3)
    {
        float[] audio = new float[seconds * 16000];
        audio.AsSpan(16000, 4800).Fill(0.9f);
        return audio;
    }

    private static Recording Run(WakeWordPipeline pipeline, float[] audio, int chunk)
    {
        var events = new List<WakeEvent>();
        var scores = new List<(int, long, float)>();
        pipeline.ScoreObserver = (m, s, p) => scores.Add((m, s, p));
        using IDisposable sub = pipeline.Events.Subscribe(events.Add);
        for (int start = 0; start < audio.Length; start += chunk)
        {
            pipeline.Process(audio.AsSpan(start, Math.Min(chunk, audio.Length - start)));
        }

        return new Recording(events, scores);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(333)]
    [InlineData(1280)]
    [InlineData(48000)]
    public void AnyChunking_GivesTheSameStepsAndEvents(int chunk)
    {
        var frontEnd = new FakeFrontEnd("a", 1280, 1280);
        using var model = new FakeModel("m", frontEnd);
        using var whole = new WakeWordPipeline([new PipelineModel(model, [new DetectorSettings(0.5f, 1, 0.5)])], new FixedTimeProvider(Now));
        using var chunked = new WakeWordPipeline([new PipelineModel(model, [new DetectorSettings(0.5f, 1, 0.5)])], new FixedTimeProvider(Now));
        Recording expected = Run(whole, Audio(), Audio().Length);
        Recording actual = Run(chunked, Audio(), chunk);
        Assert.Equal(48000 / 1280, actual.Scores.Count);
        Assert.Equal(expected.Scores, actual.Scores);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Single(actual.Events);
    }

    [Fact]
    public void AnEvent_IsAtTheAudioOffsetItsStepWasAvailable()
    {
        // Rows of 160 samples after a first of 400 (log-mel timing), 3 rows per step: step j is complete at sample
        // (3(j+1) - 1) * 160 + 400. The word starts at sample 16000, so the first step over 0.5 ends in it.
        var frontEnd = new FakeFrontEnd("a", 160, 400);
        using var model = new FakeModel("m", frontEnd, rowsPerStep: 3);
        using var pipeline = new WakeWordPipeline([new PipelineModel(model, [new DetectorSettings(0.5f, 1, 1.0)])], new FixedTimeProvider(Now));
        WakeEvent e = Assert.Single(Run(pipeline, Audio(), 777).Events);
        long step = (long)Math.Round((e.AudioOffset.TotalSeconds * 16000 - 400 + 160) / 480) - 1;
        Assert.Equal(model.Info.Timing.AvailableAt(step), e.AudioOffset);
        Assert.InRange(e.AudioOffset.TotalSeconds, 1.0, 1.1);
        Assert.Equal(Now, e.TimeUtc);
        Assert.Equal("m", e.ModelId);
    }

    [Fact]
    public void ModelsNamingOneFrontEnd_ShareOneStream_OthersGetTheirOwn()
    {
        var shared = new FakeFrontEnd("a", 1280, 1280);
        var sameSpec = new FakeFrontEnd("a", 1280, 1280); // equal spec, another object: still one stream
        var other = new FakeFrontEnd("b", 640, 640);
        using var m1 = new FakeModel("one", shared);
        using var m2 = new FakeModel("two", sameSpec);
        using var m3 = new FakeModel("three", other, rowsPerStep: 2);
        using var pipeline = new WakeWordPipeline(
        [
            new PipelineModel(m1, [new DetectorSettings(0.5f)]),
            new PipelineModel(m2, [new DetectorSettings(0.5f), new DetectorSettings(0.95f)]),
            new PipelineModel(m3, [new DetectorSettings(0.5f)]),
        ]);
        Assert.Equal(2, pipeline.FrontEndCount);
        Assert.Single(shared.Streams);
        Assert.Empty(sameSpec.Streams);
        Assert.Single(other.Streams);
        Recording run = Run(pipeline, Audio(), 1000);
        Assert.Equal(run.Scores.Where(s => s.Model == 0).Select(s => s.P), run.Scores.Where(s => s.Model == 1).Select(s => s.P));
        Assert.Equal(48000 / 1280, run.Scores.Count(s => s.Model == 2));
        Assert.Equal(3, run.Events.Count); // one per model at 0.5; 0.9 never reaches 0.95
    }

    [Fact]
    public void ModelsAtDifferentRates_AreRefused_NamingBoth()
    {
        using var a = new FakeModel("a", new FakeFrontEnd("x", 1280, 1280));
        using var b = new FakeModel("b", new FakeFrontEnd("y", 640, 640, sampleRate: 8000));
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new WakeWordPipeline(
            [new PipelineModel(a, [new DetectorSettings(0.5f)]), new PipelineModel(b, [new DetectorSettings(0.5f)])]));
        Assert.Contains("'b'", ex.Message);
        Assert.Contains("8000 Hz", ex.Message);
    }

    [Fact]
    public void Reset_StartsEveryStageAgain()
    {
        var frontEnd = new FakeFrontEnd("a", 1280, 1280);
        using var model = new FakeModel("m", frontEnd);
        using var pipeline = new WakeWordPipeline([new PipelineModel(model, [new DetectorSettings(0.5f, 1, 100)])]);
        Recording first = Run(pipeline, Audio(), 1000);
        pipeline.Process(new float[200]); // leaves samples pending in the front end (no step completes)
        pipeline.Reset();
        Assert.Equal(0, pipeline.SamplesProcessed);
        Assert.Equal(1, frontEnd.Streams[0].Resets);
        Recording second = Run(pipeline, Audio(), 1000);
        Assert.Equal(first.Scores, second.Scores);
        Assert.Single(second.Events); // the 100 s refractory of the first run was reset too
    }

    [Fact]
    public void Dispose_EndsTheStreamsState_NotTheModels()
    {
        var frontEnd = new FakeFrontEnd("a", 1280, 1280);
        using var model = new FakeModel("m", frontEnd);
        var pipeline = new WakeWordPipeline([new PipelineModel(model, [new DetectorSettings(0.5f)])]);
        bool completed = false;
        using IDisposable sub = pipeline.Events.Subscribe(_ => { }, () => completed = true);
        pipeline.Dispose();
        Assert.True(completed);
        Assert.True(frontEnd.Streams[0].Disposed);
        Assert.True(model.Scorers[0].Disposed);
        Assert.False(model.Disposed);
        Assert.Throws<ObjectDisposedException>(() => pipeline.Process(new float[10]));
    }

    private sealed record Recording(List<WakeEvent> Events, List<(int Model, long Step, float P)> Scores);

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
