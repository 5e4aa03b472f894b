namespace WakeWord.Client.Protocol;

/// <summary>A wake word was detected.</summary>
/// <param name="Sequence">Counts wake events since the service started (1, 2, ...), across all clients: a gap means this
/// client missed events (dropped from its queue, paused, or not subscribed to that word).</param>
/// <param name="Word">The wake word.</param>
/// <param name="ModelId">The model that fired (file name without extension).</param>
/// <param name="Score">The model's probability at the step that fired.</param>
/// <param name="Threshold">The threshold it crossed.</param>
/// <param name="Time">UTC wall-clock time at which the service raised the event.</param>
/// <param name="AudioOffsetS">Seconds of audio from the start of the service's input to the moment the event fired.</param>
public sealed record WakeEventMessage(long Sequence, string Word, string ModelId, float Score, float Threshold, DateTimeOffset Time, double AudioOffsetS) : ServerMessage;
