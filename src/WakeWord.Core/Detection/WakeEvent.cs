namespace WakeWord.Core.Detection;

/// <summary>One detection of a wake word.</summary>
/// <param name="Word">The wake word of the model that fired ("computer").</param>
/// <param name="ModelId">Which model fired (file name without extension, e.g. "computer").</param>
/// <param name="Score">The model's probability at the step that fired.</param>
/// <param name="Threshold">The threshold it crossed.</param>
/// <param name="AudioOffset">Position in the input audio at the moment the event fires (end of the last sample the model had seen).</param>
/// <param name="TimeUtc">Wall-clock time at which the event was raised.</param>
public sealed record WakeEvent(string Word, string ModelId, float Score, float Threshold, TimeSpan AudioOffset, DateTimeOffset TimeUtc);
