namespace WakeWord.Service.Hub;

/// <summary>The service now runs other models: their wake words, and a message saying what changed and why.</summary>
public sealed record ModelSetChange(IReadOnlyList<string> Words, string Message, DateTimeOffset TimeUtc);
