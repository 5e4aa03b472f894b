namespace WakeWord.Core.Detection;

/// <summary>
/// Turns one model's per-step probabilities into events: it decides, the model only scores.
/// A step counts when its probability is at or above the threshold. The detector fires on the leading edge, once, at the
/// step where a run of counting steps reaches <see cref="DetectorSettings.ConsecutiveSteps"/>; it does not fire again
/// until the probability has dropped below the threshold and a new run reaches that length. After an event, no other
/// event comes for <see cref="DetectorSettings.RefractorySeconds"/> (rounded up to whole steps); a run that reaches its
/// length inside that time is swallowed, not delayed, so one utterance gives one event.
/// </summary>
/// <remarks>
/// <see cref="Step"/> is called from one thread; <see cref="Update"/> may come from another (a configuration reload): the
/// settings are swapped as one immutable snapshot, so a step sees either the old or the new settings whole.
/// </remarks>
public sealed class TriggerDetector
{
    private readonly double _stepSeconds;
    private volatile Snapshot _current;
    private int _run;              // counting steps in a row, up to the current step
    private long _stepsSinceEvent; // steps since the last event; long.MaxValue / 2 when there was none

    /// <param name="settings">Threshold, run length and refractory time; validated (see <see cref="Check"/>).</param>
    /// <param name="stepSeconds">Seconds of audio per model step (<see cref="Scoring.ModelInfo.StepSeconds"/>), positive.</param>
    public TriggerDetector(DetectorSettings settings, double stepSeconds)
    {
        if (!(stepSeconds > 0) || double.IsInfinity(stepSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(stepSeconds), stepSeconds, $"Step length must be a positive number of seconds, got {stepSeconds}.");
        }

        _stepSeconds = stepSeconds;
        _current = MakeSnapshot(settings);
        Reset();
    }

    public DetectorSettings Settings => _current.Settings;

    /// <summary>The refractory time in whole steps: after an event at step j, the next can come at step j + this at the earliest.</summary>
    public int RefractorySteps => _current.RefractorySteps;

    /// <summary>Feeds the probability of the next step. Returns true when this step fires an event.</summary>
    public bool Step(float probability)
    {
        Snapshot s = _current;
        if (_stepsSinceEvent < long.MaxValue / 2)
        {
            _stepsSinceEvent++;
        }

        // NaN compares false: it breaks a run like a low probability.
        if (!(probability >= s.Settings.Threshold))
        {
            _run = 0;
            return false;
        }

        _run = _run == int.MaxValue ? int.MaxValue : _run + 1;
        if (_run != s.Settings.ConsecutiveSteps || _stepsSinceEvent < s.RefractorySteps)
        {
            return false;
        }

        _stepsSinceEvent = 0;
        return true;
    }

    /// <summary>Replaces the settings live (keeps the current run and the refractory clock). Throws, naming the bad value, when invalid.</summary>
    public void Update(DetectorSettings settings) => _current = MakeSnapshot(settings);

    /// <summary>Back to the start of a stream: no run, no refractory time pending.</summary>
    public void Reset()
    {
        _run = 0;
        _stepsSinceEvent = long.MaxValue / 2;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the bad value.</summary>
    public static void Validate(DetectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? problem = Check(settings);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(settings));
        }
    }

    /// <summary>A message naming the first bad value of <paramref name="settings"/>, or null when they are valid.</summary>
    public static string? Check(DetectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (DetectorSettings.ThresholdProblem(settings.Threshold) is string threshold)
        {
            return $"Threshold {threshold}, got {settings.Threshold}.";
        }

        if (DetectorSettings.ConsecutiveStepsProblem(settings.ConsecutiveSteps) is string consecutive)
        {
            return $"ConsecutiveSteps {consecutive}, got {settings.ConsecutiveSteps}.";
        }

        if (DetectorSettings.RefractoryProblem(settings.RefractorySeconds) is string refractory)
        {
            return $"RefractorySeconds {refractory}, got {settings.RefractorySeconds}.";
        }

        return null;
    }

    private Snapshot MakeSnapshot(DetectorSettings settings)
    {
        Validate(settings);

        // The small epsilon keeps 1.0 s / 0.03 s from becoming 34 steps through rounding noise.
        double steps = Math.Ceiling(settings.RefractorySeconds / _stepSeconds - 1e-9);
        return new Snapshot(settings, (int)Math.Min(steps, int.MaxValue));
    }

    private sealed record Snapshot(DetectorSettings Settings, int RefractorySteps);
}
