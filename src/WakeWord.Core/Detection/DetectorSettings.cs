namespace WakeWord.Core.Detection;

/// <summary>How the trigger detector decides; its defaults and what makes a value valid live here, once.</summary>
/// <param name="Threshold">Fire when the probability is at or above this, in [0, 1].</param>
/// <param name="ConsecutiveSteps">Steps in a row that must be at or above the threshold before firing (held-ones rule), at least 1.</param>
/// <param name="RefractorySeconds">After an event, no other event for this long (one utterance, one event), at least 0.</param>
public sealed record DetectorSettings(float Threshold, int ConsecutiveSteps = DetectorSettings.DefaultConsecutiveSteps, double RefractorySeconds = DetectorSettings.DefaultRefractorySeconds)
{
    /// <summary>One step over the threshold fires: the model's held ones already smooth its output.</summary>
    public const int DefaultConsecutiveSteps = 1;

    /// <summary>Used only when neither the settings nor the model give a refractory time.</summary>
    public const double DefaultRefractorySeconds = 1.0;

    /// <summary>What is wrong with a threshold ("must be in [0, 1]"), or null when it is valid.</summary>
    public static string? ThresholdProblem(double threshold) => threshold is >= 0 and <= 1 ? null : "must be in [0, 1]";

    /// <summary>What is wrong with a consecutive-steps count, or null when it is valid.</summary>
    public static string? ConsecutiveStepsProblem(int steps) => steps >= 1 ? null : "must be at least 1";

    /// <summary>What is wrong with a refractory time, or null when it is valid.</summary>
    public static string? RefractoryProblem(double seconds) => seconds >= 0 && double.IsFinite(seconds) ? null : "must be a number of seconds >= 0";
}
