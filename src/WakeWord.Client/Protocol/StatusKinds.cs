namespace WakeWord.Client.Protocol;

/// <summary>Values of <see cref="StatusEvent.Status"/>.</summary>
public static class StatusKinds
{
    public const string Listening = "listening";
    public const string DeviceLost = "device_lost";
    public const string DeviceBack = "device_back";

    /// <summary>A microphone that has never opened is not there yet; the service waits for it (then: listening).</summary>
    public const string DeviceMissing = "device_missing";

    /// <summary>A file or stdin source has no more input.</summary>
    public const string Ended = "ended";
    public const string ModelReloaded = "model_reloaded";
}
