using System.Runtime.InteropServices;

namespace WakeWord.Audio.Capture.Alsa;

/// <summary>
/// The few libasound calls capture needs. P/Invoke rather than a package: no maintained managed ALSA library on NuGet
/// does capture with control over period and buffer sizes (the ones there are playback-oriented, unmaintained, or
/// wrap the same calls with less control), and libasound's C API is small and stable (ABI 2 since 2004).
/// </summary>
internal static class AlsaNative
{
    private const string Lib = "libasound.so.2";

    public const int StreamCapture = 1;
    public const int AccessRwInterleaved = 3;
    public const int FormatS16Le = 2;

    // errno values ALSA returns negated.
    public const int EPIPE = 32;    // overrun (xrun)
    public const int ESTRPIPE = 86; // suspended
    public const int EAGAIN = 11;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EIO = 5;
    public const int ENXIO = 6;

    [DllImport(Lib)]
    public static extern int snd_pcm_open(out IntPtr pcm, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, int stream, int mode);

    // libasound prints its own "ALSA lib ..." lines to stderr for every failed open (several per retry of a missing
    // device), which would flood the service log between our own messages; we report every error ourselves with
    // snd_strerror, so its printer is replaced by one that drops them.
    [DllImport(Lib)]
    private static extern unsafe int snd_lib_error_set_handler(delegate* unmanaged<IntPtr, int, IntPtr, int, IntPtr, void> handler);

    // The C handler is variadic; the fixed arguments arrive in the same registers as a non-variadic call on the
    // 64-bit ABIs .NET runs on, and this handler never reads the variadic part.
    [UnmanagedCallersOnly]
    private static void DropLibraryMessage(IntPtr file, int line, IntPtr function, int err, IntPtr format)
    {
    }

    private static int LibraryMessagesSilenced;

    public static unsafe void SilenceLibraryMessages()
    {
        if (Interlocked.Exchange(ref LibraryMessagesSilenced, 1) == 0)
        {
            snd_lib_error_set_handler(&DropLibraryMessage);
        }
    }

    [DllImport(Lib)]
    public static extern int snd_pcm_close(IntPtr pcm);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_malloc(out IntPtr hwParams);

    [DllImport(Lib)]
    public static extern void snd_pcm_hw_params_free(IntPtr hwParams);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_any(IntPtr pcm, IntPtr hwParams);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_set_rate_resample(IntPtr pcm, IntPtr hwParams, uint enable);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_set_access(IntPtr pcm, IntPtr hwParams, int access);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_set_format(IntPtr pcm, IntPtr hwParams, int format);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_set_channels(IntPtr pcm, IntPtr hwParams, uint channels);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_set_rate_near(IntPtr pcm, IntPtr hwParams, ref uint rate, ref int dir);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_set_period_size_near(IntPtr pcm, IntPtr hwParams, ref nuint frames, ref int dir);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_set_buffer_size_near(IntPtr pcm, IntPtr hwParams, ref nuint frames);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params(IntPtr pcm, IntPtr hwParams);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_get_period_size(IntPtr hwParams, out nuint frames, out int dir);

    [DllImport(Lib)]
    public static extern int snd_pcm_hw_params_get_buffer_size(IntPtr hwParams, out nuint frames);

    [DllImport(Lib)]
    public static extern int snd_pcm_sw_params_malloc(out IntPtr swParams);

    [DllImport(Lib)]
    public static extern void snd_pcm_sw_params_free(IntPtr swParams);

    [DllImport(Lib)]
    public static extern int snd_pcm_sw_params_current(IntPtr pcm, IntPtr swParams);

    [DllImport(Lib)]
    public static extern int snd_pcm_sw_params_set_avail_min(IntPtr pcm, IntPtr swParams, nuint frames);

    [DllImport(Lib)]
    public static extern int snd_pcm_sw_params(IntPtr pcm, IntPtr swParams);

    [DllImport(Lib)]
    public static extern int snd_pcm_prepare(IntPtr pcm);

    [DllImport(Lib)]
    public static extern int snd_pcm_start(IntPtr pcm);

    [DllImport(Lib)]
    public static extern int snd_pcm_wait(IntPtr pcm, int timeoutMs);

    [DllImport(Lib)]
    public static extern nint snd_pcm_readi(IntPtr pcm, [Out] short[] buffer, nuint frames); // a blittable array is pinned, not copied

    [DllImport(Lib)]
    public static extern int snd_pcm_delay(IntPtr pcm, out nint frames);

    [DllImport(Lib)]
    public static extern IntPtr snd_strerror(int errnum);

    [DllImport(Lib)]
    public static extern int snd_device_name_hint(int card, [MarshalAs(UnmanagedType.LPUTF8Str)] string iface, out IntPtr hints);

    [DllImport(Lib)]
    public static extern IntPtr snd_device_name_get_hint(IntPtr hint, [MarshalAs(UnmanagedType.LPUTF8Str)] string id);

    [DllImport(Lib)]
    public static extern int snd_device_name_free_hint(IntPtr hints);

    /// <summary>libc free, for the strings snd_device_name_get_hint returns.</summary>
    [DllImport("libc", EntryPoint = "free")]
    public static extern void Free(IntPtr pointer);

    public static string Error(int err) => Marshal.PtrToStringUTF8(snd_strerror(err)) ?? $"error {err}";
}
