using System.Runtime.Versioning;
using NAudio.CoreAudioApi;

namespace WakeWord.Audio.Capture.Wasapi;

/// <summary>Active WASAPI capture endpoints, by friendly name; a device setting matches a name, part of one, or an endpoint id.</summary>
[SupportedOSPlatform("windows")]
public static class WasapiDeviceList
{
    public static IReadOnlyList<string> List()
    {
        using var enumerator = new MMDeviceEnumerator();
        var names = new List<string>();
        foreach (MMDevice device in enumerator.EnumerateAudioEndPoints(DataFlow.Capture, DeviceState.Active))
        {
            names.Add($"{device.FriendlyName}  (id {device.ID})");
            device.Dispose();
        }

        return names;
    }

    internal static MMDevice Find(MMDeviceEnumerator enumerator, string nameOrId)
    {
        MMDevice? partial = null;
        foreach (MMDevice device in enumerator.EnumerateAudioEndPoints(DataFlow.Capture, DeviceState.Active))
        {
            if (string.Equals(device.ID, nameOrId, StringComparison.OrdinalIgnoreCase)
                || string.Equals(device.FriendlyName, nameOrId, StringComparison.OrdinalIgnoreCase))
            {
                partial?.Dispose();
                return device;
            }

            if (partial is null && device.FriendlyName.Contains(nameOrId, StringComparison.OrdinalIgnoreCase))
            {
                partial = device;
            }
            else
            {
                device.Dispose();
            }
        }

        return partial ?? throw new CaptureDeviceException(CaptureFault.NotFound, $"no active WASAPI capture device is named or has the id '{nameOrId}'.");
    }
}
