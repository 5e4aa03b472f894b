namespace WakeWord.Client.Protocol;

/// <summary>Values of <see cref="StatusEvent.Status"/>.</summary>
public static class StatusKinds
{
    public const string Listening = "listening";
    public const string DeviceLost = "device_lost";
    public const string DeviceBack = "device_back";
    public const string ModelReloaded = "model_reloaded";
}
