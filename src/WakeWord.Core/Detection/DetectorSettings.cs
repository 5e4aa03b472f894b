namespace WakeWord.Core.Detection;

/// <summary>How the trigger detector decides.</summary>
/// <param name="Threshold">Fire when the probability is at or above this, in [0, 1].</param>
/// <param name="ConsecutiveSteps">Steps in a row that must be at or above the threshold before firing (held-ones rule), at least 1.</param>
/// <param name="RefractorySeconds">After an event, no other event for this long (one utterance, one event), at least 0.</param>
public sealed record DetectorSettings(float Threshold, int ConsecutiveSteps = 1, double RefractorySeconds = 1.0);
