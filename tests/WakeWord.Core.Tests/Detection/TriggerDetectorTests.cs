using WakeWord.Core.Detection;

namespace WakeWord.Core.Tests.Detection;

public sealed class TriggerDetectorTests
{
    private const double Step = 0.03; // 3 frames of 10 ms

    /// <summary>Feeds the probabilities and returns the indices of the steps that fired.</summary>
    private static List<int> Fire(TriggerDetector detector, params float[] probabilities)
    {
        var fired = new List<int>();
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (detector.Step(probabilities[i]))
            {
                fired.Add(i);
            }
        }

        return fired;
    }

    [Fact]
    public void Threshold_FiresAtOrAboveButNotBelow()
    {
        Assert.Equal([2], Fire(new TriggerDetector(new DetectorSettings(0.5f, 1, 0), Step), 0.1f, 0.49f, 0.5f));
        Assert.Empty(Fire(new TriggerDetector(new DetectorSettings(0.5f, 1, 0), Step), 0.1f, 0.49f, 0.4999f));
    }

    [Fact]
    public void LeadingEdge_FiresOncePerRun_AndAgainOnlyAfterADrop()
    {
        var detector = new TriggerDetector(new DetectorSettings(0.5f, 1, 0), Step);
        Assert.Equal([1, 5], Fire(detector, 0.1f, 0.9f, 0.9f, 0.9f, 0.2f, 0.8f, 0.8f));
    }

    [Fact]
    public void ConsecutiveSteps_FiresWhenTheRunReachesK()
    {
        var detector = new TriggerDetector(new DetectorSettings(0.5f, 3, 0), Step);
        // a run of 2 is too short; the run of 4 fires at its third step
        Assert.Equal([6], Fire(detector, 0.9f, 0.9f, 0.1f, 0.1f, 0.9f, 0.9f, 0.9f, 0.9f));
    }

    [Fact]
    public void Refractory_SwallowsARunThatReachesKTooSoon_ThenAllowsTheNext()
    {
        // 0.1 s / 0.03 s -> 4 steps: after an event at step j, the next can come at step j + 4.
        var detector = new TriggerDetector(new DetectorSettings(0.5f, 1, 0.1), Step);
        Assert.Equal(4, detector.RefractorySteps);
        Assert.Equal([0, 4], Fire(detector, 0.9f, 0.1f, 0.9f, 0.1f, 0.9f));

        detector.Reset();
        // the run starting at step 2 is inside the refractory time and stays swallowed while it lasts (leading edge only)
        Assert.Equal([0, 7], Fire(detector, 0.9f, 0.1f, 0.9f, 0.9f, 0.9f, 0.9f, 0.1f, 0.9f));
    }

    [Fact]
    public void Update_ChangesTheThresholdLive()
    {
        var detector = new TriggerDetector(new DetectorSettings(0.9f, 1, 0), Step);
        Assert.Empty(Fire(detector, 0.7f, 0.1f));
        detector.Update(new DetectorSettings(0.6f, 1, 0));
        Assert.Equal(0.6f, detector.Settings.Threshold);
        Assert.Equal([0], Fire(detector, 0.7f, 0.1f));
    }

    [Fact]
    public void Update_RejectsInvalidSettings_AndKeepsTheOldOnes()
    {
        var detector = new TriggerDetector(new DetectorSettings(0.5f, 1, 0), Step);
        Assert.Throws<ArgumentException>(() => detector.Update(new DetectorSettings(2f)));
        Assert.Equal(0.5f, detector.Settings.Threshold);
    }

    [Fact]
    public void Reset_ForgetsTheRunAndTheRefractoryTime()
    {
        var detector = new TriggerDetector(new DetectorSettings(0.5f, 2, 10), Step);
        Assert.Equal([1], Fire(detector, 0.9f, 0.9f, 0.1f, 0.9f, 0.9f)); // the second run is inside 10 s
        detector.Reset();
        Assert.Equal([1], Fire(detector, 0.9f, 0.9f)); // refractory time forgotten

        detector.Reset();
        Assert.Empty(Fire(detector, 0.9f));
        detector.Reset();
        Assert.Equal([1], Fire(detector, 0.9f, 0.9f)); // the run of one before the reset does not count
    }

    [Theory]
    [InlineData(-0.1f, 1, 0.0, "Threshold", "-0.1")]
    [InlineData(1.5f, 1, 0.0, "Threshold", "1.5")]
    [InlineData(float.NaN, 1, 0.0, "Threshold", "NaN")]
    [InlineData(0.5f, 0, 0.0, "ConsecutiveSteps", "0")]
    [InlineData(0.5f, 1, -1.0, "RefractorySeconds", "-1")]
    public void InvalidSettings_AreRejected_NamingTheValue(float threshold, int steps, double refractory, string name, string value)
    {
        var settings = new DetectorSettings(threshold, steps, refractory);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new TriggerDetector(settings, Step));
        Assert.Contains(name, ex.Message);
        Assert.Contains($"got {value}", ex.Message);
        Assert.NotNull(TriggerDetector.Check(settings));
    }

    [Fact]
    public void Constructor_RejectsANonPositiveStepLength()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TriggerDetector(new DetectorSettings(0.5f), 0));
    }

    [Fact]
    public void Step_AllocatesNothing()
    {
        var detector = new TriggerDetector(new DetectorSettings(0.5f, 2, 0.1), Step);
        for (int i = 0; i < 1000; i++)
        {
            detector.Step(i % 7 < 3 ? 0.9f : 0.1f);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int fired = 0;
        for (int i = 0; i < 10_000; i++)
        {
            fired += detector.Step(i % 7 < 3 ? 0.9f : 0.1f) ? 1 : 0;
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(fired > 0);
    }
}
