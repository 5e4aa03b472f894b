using WakeWord.Client.Protocol;
using WakeWord.Core.Audio;

namespace WakeWord.Service.Status;

/// <summary>The audio source's states as the pipe protocol names them (<see cref="StatusKinds"/>).</summary>
public static class SourceStateNames
{
    public static string ToWire(AudioSourceStatusKind kind) => kind switch
    {
        AudioSourceStatusKind.Listening => StatusKinds.Listening,
        AudioSourceStatusKind.DeviceLost => StatusKinds.DeviceLost,
        AudioSourceStatusKind.DeviceBack => StatusKinds.DeviceBack,
        AudioSourceStatusKind.DeviceMissing => StatusKinds.DeviceMissing,
        AudioSourceStatusKind.Ended => StatusKinds.Ended,
        _ => kind.ToString().ToLowerInvariant(),
    };
}
