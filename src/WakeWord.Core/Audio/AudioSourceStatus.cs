namespace WakeWord.Core.Audio;

public enum AudioSourceStatusKind { Listening, DeviceLost, DeviceBack }

/// <summary>A change in a live source's state, with a message for logs and pipe subscribers.</summary>
public sealed record AudioSourceStatus(AudioSourceStatusKind Kind, string Message, DateTimeOffset TimeUtc)
{
    /// <summary>The source delivers audio from now on (it opened, or its device came back).</summary>
    public bool IsListening => Kind is AudioSourceStatusKind.Listening or AudioSourceStatusKind.DeviceBack;
}
