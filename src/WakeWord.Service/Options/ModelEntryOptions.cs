using WakeWord.Core.Detection;

namespace WakeWord.Service.Options;

/// <summary>
/// One model to run (an element of Models:Active). Every field is re-read when appsettings.json changes: a new Threshold,
/// ConsecutiveSteps or RefractorySeconds applies at once, a new Path or Word loads the models again.
/// </summary>
public sealed class ModelEntryOptions
{
    /// <summary>A model file; relative paths are relative to the current directory. Give this or <see cref="Word"/>.</summary>
    public string? Path { get; set; }

    /// <summary>The wake word: runs Models:Directory/&lt;Word&gt;.onnx. Give this or <see cref="Path"/>.</summary>
    public string? Word { get; set; }

    /// <summary>Fire at or above this probability, in [0, 1]. Default: the model's recommended threshold.</summary>
    public float? Threshold { get; set; }

    /// <summary>Steps in a row at or above the threshold before firing, at least 1.</summary>
    public int ConsecutiveSteps { get; set; } = DetectorSettings.DefaultConsecutiveSteps;

    /// <summary>Seconds of silence after an event, at least 0. Default: the model's recommended value.</summary>
    public double? RefractorySeconds { get; set; }

    public override string ToString() => Path ?? Word ?? "(no model)";
}
