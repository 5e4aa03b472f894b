using System.Text.Json;
using WakeWord.Core.Detection;
using WakeWord.Tests.Support;

namespace WakeWord.Core.Tests.Detection;

/// <summary>
/// One trigger rule in C# and Python: training picks thresholds with training/detector.py, which wrote these cases
/// (python3 -m training goldens --detector). A Python test replays them too, so neither side can drift alone.
/// </summary>
public sealed class TriggerDetectorGoldenTests
{
    private static readonly JsonElement Golden = TestFiles.ReadJson(TestFiles.Require("tests", "data", "golden", "detector_cases.json"));

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
    public void SameEventsAsTheTrainingDetector(int index)
    {
        JsonElement c = Golden.GetProperty("cases")[index];
        var settings = new DetectorSettings(
            (float)c.GetProperty("threshold").GetDouble(), c.GetProperty("consecutive_steps").GetInt32(), c.GetProperty("refractory_s").GetDouble());
        var detector = new TriggerDetector(settings, Golden.GetProperty("step_s").GetDouble());
        var fired = new List<int>();
        int step = 0;
        foreach (JsonElement p in Golden.GetProperty("probabilities").EnumerateArray())
        {
            float probability = p.ValueKind == JsonValueKind.Null ? float.NaN : (float)p.GetDouble();
            if (detector.Step(probability))
            {
                fired.Add(step);
            }

            step++;
        }

        Assert.Equal(c.GetProperty("refractory_steps").GetInt32(), detector.RefractorySteps);
        Assert.Equal(c.GetProperty("events").EnumerateArray().Select(e => e.GetInt32()), fired);
    }
}
