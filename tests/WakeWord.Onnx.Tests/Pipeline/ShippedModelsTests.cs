using WakeWord.Tests.Support;

namespace WakeWord.Onnx.Tests.Pipeline;

/// <summary>Every model in models/, with its recommended settings, on audio a user is likely to try first.</summary>
public sealed class ShippedModelsTests
{
    /// <summary>
    /// A synthesizer's WAV file has exact zeros around the word, where a microphone always has a noise floor. Heads
    /// trained only over noise scored 0.03-0.13 here while scoring 0.99 with noise at -60 dB under the same word
    /// (training/scripts/silence-check.py). Not yet for computer: its 2.0.0 scores 0.058 on computer_synth_silence.wav,
    /// and the heads retrained with silent clips fired 1.82 times an hour on the benchmark at their calibrated
    /// threshold against 2.0.0's 0.44 (docs/accuracy.md), so 2.0.0 stays; add its line when a model fixes both.
    /// </summary>
    [Theory]
    [InlineData("activate", "activate_synth_silence.wav", 1.70)]
    public void SynthesizedWordBetweenDigitalSilence_GivesExactlyOneEvent(string word, string file, double wordEndSeconds)
    {
        var run = PipelineRun.WithRecommendedSettings(TestFiles.Require("models", $"{word}.onnx"), file);

        Assert.True(run.Events.Count == 1,
            $"{word} on {file}: expected one event, got {run.Events.Count}; highest probability {run.Scores[0].Max():F3}");
        Assert.InRange(run.Events[0].AudioOffset.TotalSeconds, wordEndSeconds - 0.4, wordEndSeconds + 1.0);
        Assert.Equal(word, run.Events[0].Word);
    }
}
