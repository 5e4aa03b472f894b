using WakeWord.Core.Detection;

namespace WakeWord.Core.Tests.Detection;

/// <summary>The detector's value rules, which the service's validator, the CLI and the model loader all phrase from.</summary>
public sealed class DetectorSettingsRulesTests
{
    [Theory]
    [InlineData(0.0, true)]
    [InlineData(1.0, true)]
    [InlineData(0.56, true)]
    [InlineData(-0.01, false)]
    [InlineData(1.01, false)]
    [InlineData(double.NaN, false)]
    public void A_threshold_is_a_probability(double threshold, bool valid) =>
        Assert.Equal(valid ? null : "must be in [0, 1]", DetectorSettings.ThresholdProblem(threshold));

    [Theory]
    [InlineData(1, true)]
    [InlineData(40, true)]
    [InlineData(0, false)]
    [InlineData(-3, false)]
    public void Consecutive_steps_are_at_least_one(int steps, bool valid) =>
        Assert.Equal(valid ? null : "must be at least 1", DetectorSettings.ConsecutiveStepsProblem(steps));

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.9, true)]
    [InlineData(-0.1, false)]
    [InlineData(double.PositiveInfinity, false)]
    [InlineData(double.NaN, false)]
    public void A_refractory_time_is_finite_and_not_negative(double seconds, bool valid) =>
        Assert.Equal(valid ? null : "must be a number of seconds >= 0", DetectorSettings.RefractoryProblem(seconds));

    [Fact]
    public void The_defaults_are_valid_and_what_a_bare_settings_record_gets()
    {
        var settings = new DetectorSettings(0.5f);
        Assert.Equal(DetectorSettings.DefaultConsecutiveSteps, settings.ConsecutiveSteps);
        Assert.Equal(DetectorSettings.DefaultRefractorySeconds, settings.RefractorySeconds);
        Assert.Null(TriggerDetector.Check(settings));
    }
}
