using System.Runtime.InteropServices;

namespace WakeWord.Audio.Capture.Pulse;

/// <summary>
/// libpulse-simple, the blocking PulseAudio client API (PipeWire serves it too through pipewire-pulse). P/Invoke because
/// NuGet has no maintained PulseAudio binding, and the simple API is five functions.
/// </summary>
internal static class PulseSimpleNative
{
    private const string Lib = "libpulse-simple.so.0";
    private const string PulseLib = "libpulse.so.0";

    public const int StreamRecord = 2;
    public const int SampleS16Le = 3;

    // pa_error_code_t values used to classify faults.
    public const int ErrNoEntity = 5;
    public const int ErrConnectionRefused = 6;
    public const int ErrBusy = 26;

    [StructLayout(LayoutKind.Sequential)]
    public struct SampleSpec
    {
        public int Format;
        public uint Rate;
        public byte Channels;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct BufferAttr
    {
        public uint MaxLength;
        public uint TLength;
        public uint PreBuf;
        public uint MinReq;
        public uint FragSize;
    }

    [DllImport(Lib)]
    public static extern IntPtr pa_simple_new(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string? server,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        int direction,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string? device,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string streamName,
        in SampleSpec spec,
        IntPtr channelMap,
        in BufferAttr attr,
        out int error);

    [DllImport(Lib)]
    public static extern int pa_simple_read(IntPtr simple, [Out] short[] data, nuint bytes, out int error); // pinned, not copied

    [DllImport(Lib)]
    public static extern ulong pa_simple_get_latency(IntPtr simple, out int error);

    [DllImport(Lib)]
    public static extern void pa_simple_free(IntPtr simple);

    [DllImport(PulseLib)]
    public static extern IntPtr pa_strerror(int error);

    public static string Error(int error) => Marshal.PtrToStringUTF8(pa_strerror(error)) ?? $"error {error}";
}
