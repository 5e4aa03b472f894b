namespace WakeWord.Core.Audio;

/// <summary>
/// Listening: audio flows (a source opened). DeviceMissing: a microphone that has never opened is not there yet (it is
/// waited for). DeviceLost / DeviceBack: one that was open went away / came back. Ended: a file or stdin has no more
/// input (the service stays up idle, or stops with Audio:ExitAtEnd).
/// </summary>
public enum AudioSourceStatusKind { Listening, DeviceLost, DeviceBack, DeviceMissing, Ended }

/// <summary>A change in a live source's state, with a message for logs and pipe subscribers.</summary>
public sealed record AudioSourceStatus(AudioSourceStatusKind Kind, string Message, DateTimeOffset TimeUtc)
{
    /// <summary>The source delivers audio from now on (it opened, or its device came back).</summary>
    public bool IsListening => Kind is AudioSourceStatusKind.Listening or AudioSourceStatusKind.DeviceBack;
}
