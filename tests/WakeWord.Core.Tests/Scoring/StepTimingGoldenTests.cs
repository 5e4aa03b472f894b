using System.Text.Json;
using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Core.Scoring;
using WakeWord.Tests.Support;

namespace WakeWord.Core.Tests.Scoring;

/// <summary>
/// One step timing in C# and Python: training labels its data and scores its streams with training/timing.py, which
/// wrote these cases (python3 -m training goldens --timing); a Python test replays them too.
/// </summary>
public sealed class StepTimingGoldenTests
{
    private static readonly JsonElement Golden = TestFiles.ReadJson(TestFiles.Require("tests", "data", "golden", "step_timing.json"));

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Golden.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SameStepsAsTraining(int index)
    {
        JsonElement c = Golden.GetProperty("cases")[index];
        var features = new FeatureSpec(c.GetProperty("sample_rate").GetInt32(), c.GetProperty("window_samples").GetInt32(),
            c.GetProperty("hop_samples").GetInt32(), 512, 40, 20, 7600, 1e-6f);
        var timing = new StepTiming(c.GetProperty("frames_per_step").GetInt32(), LogMelFrontEnd.SpecOf(features));

        Assert.Equal(c.GetProperty("step_seconds").GetDouble(), timing.StepSeconds);
        long[] steps = Longs(c, "steps");
        Assert.Equal(Longs(c, "sample_available"), steps.Select(timing.SampleAvailable));
        long[] samples = Longs(c, "samples");
        Assert.Equal(Longs(c, "first_step_after"), samples.Select(timing.FirstStepAfter));
        Assert.Equal(Longs(c, "last_step_by"), samples.Select(timing.LastStepBy));
    }

    [Fact]
    public void AnEventsAudioOffsetIsWhenItsStepWasAvailable()
    {
        var timing = new StepTiming(3, LogMelFrontEnd.SpecOf(new FeatureSpec(16000, 400, 160, 512, 40, 20, 7600, 1e-6f)));

        Assert.Equal(TimeSpan.FromMilliseconds(45), timing.AvailableAt(0));
        Assert.Equal(0.045, timing.SecondsAvailable(0), 12);
    }

    private static long[] Longs(JsonElement c, string name) => [.. c.GetProperty(name).EnumerateArray().Select(v => v.GetInt64())];
}
