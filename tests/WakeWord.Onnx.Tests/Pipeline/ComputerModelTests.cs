using WakeWord.Core.Detection;
using WakeWord.Onnx.Tests.TestSupport;

namespace WakeWord.Onnx.Tests.Pipeline;

/// <summary>The shipped model on real audio it never trained on (tests/data/audio/README.md), with its recommended settings.</summary>
public sealed class ComputerModelTests
{
    private static List<WakeEvent> Detect(string file) => PipelineRun.WithRecommendedSettings(Models.ComputerPath, file).Events;

    [ComputerModelTheory]
    [InlineData("computer_real_1.wav", 2.33)]
    [InlineData("computer_real_2.wav", 2.35)]
    [InlineData("computer_real_3.wav", 2.02)]
    [InlineData("computer_synth_noisy.wav", 2.59)]
    public void SpokenWakeWord_GivesExactlyOneEvent_NearTheEndOfTheWord(string file, double wordEndSeconds)
    {
        List<WakeEvent> events = Detect(file);
        Assert.True(events.Count == 1, $"{file}: expected one event, got {events.Count} at [{string.Join(", ", events.Select(e => $"{e.AudioOffset.TotalSeconds:F2} s ({e.Score:F2})"))}]");

        // The model is trained to fire on the frames just after the word, so the event comes at the word's end,
        // give or take the steps it needs to get confident.
        Assert.InRange(events[0].AudioOffset.TotalSeconds, wordEndSeconds - 0.4, wordEndSeconds + 1.0);
        Assert.Equal("computer", events[0].Word);
    }

    [ComputerModelFact]
    public void LongSpeechAndNoiseWithoutTheWord_GivesNoEvent()
    {
        List<WakeEvent> events = Detect("negatives_long.wav");
        Assert.True(events.Count == 0, $"false alarms at [{string.Join(", ", events.Select(e => $"{e.AudioOffset.TotalSeconds:F2} s ({e.Score:F2})"))}]");
    }
}
