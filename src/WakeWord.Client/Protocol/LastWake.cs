namespace WakeWord.Client.Protocol;

/// <summary>The latest wake event in a <see cref="ServiceStatusMessage"/>.</summary>
/// <param name="Word">The wake word.</param>
/// <param name="ModelId">The model that fired.</param>
/// <param name="Score">Its probability at the step that fired.</param>
/// <param name="Time">UTC time the service raised it.</param>
public sealed record LastWake(string Word, string ModelId, float Score, DateTimeOffset Time);
