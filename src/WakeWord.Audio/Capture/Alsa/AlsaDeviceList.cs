using System.Runtime.InteropServices;

namespace WakeWord.Audio.Capture.Alsa;

/// <summary>ALSA capture PCM names from <c>snd_device_name_hint</c>, as <c>arecord -L</c> prints them, "default" first.</summary>
public static class AlsaDeviceList
{
    public const string DefaultDevice = "default";

    public static IReadOnlyList<string> List()
    {
        int err;
        IntPtr hints;
        try
        {
            AlsaNative.SilenceLibraryMessages();
            err = AlsaNative.snd_device_name_hint(-1, "pcm", out hints);
        }
        catch (DllNotFoundException ex)
        {
            throw new CaptureDeviceException(CaptureFault.Failed, "libasound.so.2 is not installed (Debian/Ubuntu: apt-get install libasound2).", ex);
        }

        if (err < 0)
        {
            throw new CaptureDeviceException(CaptureFault.Failed, $"cannot list ALSA devices: {AlsaNative.Error(err)}.");
        }

        var names = new List<string>();
        try
        {
            for (int i = 0; ; i++)
            {
                IntPtr hint = Marshal.ReadIntPtr(hints, i * IntPtr.Size);
                if (hint == IntPtr.Zero)
                {
                    break;
                }

                string? name = TakeHint(hint, "NAME");
                string? ioid = TakeHint(hint, "IOID"); // null means both directions
                if (name is not null && ioid is null or "Input")
                {
                    names.Add(name);
                }
            }
        }
        finally
        {
            _ = AlsaNative.snd_device_name_free_hint(hints);
        }

        // "default" always exists (alsa.conf defines it) and is Audio:Device's default, but ALSA lists it only where a
        // configuration gives it a hint (a desktop's pulse or pipewire plugin): first, always.
        names.Remove(DefaultDevice);
        names.Insert(0, DefaultDevice);
        return names;
    }

    private static string? TakeHint(IntPtr hint, string id)
    {
        IntPtr value = AlsaNative.snd_device_name_get_hint(hint, id);
        if (value == IntPtr.Zero)
        {
            return null;
        }

        string? text = Marshal.PtrToStringUTF8(value);
        AlsaNative.Free(value);
        return text;
    }
}
