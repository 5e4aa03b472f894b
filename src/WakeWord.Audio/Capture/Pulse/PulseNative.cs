using System.Runtime.InteropServices;

namespace WakeWord.Audio.Capture.Pulse;

/// <summary>
/// The part of libpulse (PulseAudio's asynchronous client API; PipeWire serves it too through pipewire-pulse) that
/// <see cref="PulseCaptureDevice"/> needs: a main loop that the capture thread iterates itself, with a timeout, a
/// context and a record stream. P/Invoke because NuGet has no maintained PulseAudio binding. Every call used while
/// reading takes and returns blittable values only, so the steady state allocates nothing.
/// </summary>
internal static class PulseNative
{
    private const string Lib = "libpulse.so.0";

    public const int SampleS16Le = 3;

    // pa_context_state_t
    public const int ContextReady = 4;
    public const int ContextFailed = 5;
    public const int ContextTerminated = 6;

    // pa_stream_state_t
    public const int StreamReady = 2;
    public const int StreamFailed = 3;
    public const int StreamTerminated = 4;

    // pa_stream_flags_t: what pa_simple_new asks for a record stream (timing kept current, fragment size honoured).
    public const int StreamInterpolateTiming = 0x0002;
    public const int StreamAutoTimingUpdate = 0x0008;
    public const int StreamAdjustLatency = 0x2000;

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
    public static extern IntPtr pa_mainloop_new();

    [DllImport(Lib)]
    public static extern void pa_mainloop_free(IntPtr mainloop);

    [DllImport(Lib)]
    public static extern IntPtr pa_mainloop_get_api(IntPtr mainloop);

    /// <summary>Prepares one iteration; <paramref name="timeoutUsec"/> bounds the poll that follows (microseconds, -1 blocks).</summary>
    [DllImport(Lib)]
    public static extern int pa_mainloop_prepare(IntPtr mainloop, int timeoutUsec);

    [DllImport(Lib)]
    public static extern int pa_mainloop_poll(IntPtr mainloop);

    [DllImport(Lib)]
    public static extern int pa_mainloop_dispatch(IntPtr mainloop);

    [DllImport(Lib)]
    public static extern IntPtr pa_context_new(IntPtr mainloopApi, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Lib)]
    public static extern int pa_context_connect(IntPtr context, [MarshalAs(UnmanagedType.LPUTF8Str)] string? server, int flags, IntPtr spawnApi);

    [DllImport(Lib)]
    public static extern int pa_context_get_state(IntPtr context);

    [DllImport(Lib)]
    public static extern int pa_context_errno(IntPtr context);

    [DllImport(Lib)]
    public static extern void pa_context_disconnect(IntPtr context);

    [DllImport(Lib)]
    public static extern void pa_context_unref(IntPtr context);

    [DllImport(Lib)]
    public static extern IntPtr pa_stream_new(IntPtr context, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, in SampleSpec spec, IntPtr channelMap);

    [DllImport(Lib)]
    public static extern int pa_stream_connect_record(IntPtr stream, [MarshalAs(UnmanagedType.LPUTF8Str)] string? device, in BufferAttr attr, int flags);

    [DllImport(Lib)]
    public static extern int pa_stream_get_state(IntPtr stream);

    /// <summary>Bytes that <see cref="pa_stream_peek"/> can hand over now; (size_t)-1 on error.</summary>
    [DllImport(Lib)]
    public static extern nuint pa_stream_readable_size(IntPtr stream);

    /// <summary>The next fragment: data null with bytes &gt; 0 is a hole (lost audio), bytes 0 is nothing yet.</summary>
    [DllImport(Lib)]
    public static extern int pa_stream_peek(IntPtr stream, out IntPtr data, out nuint bytes);

    [DllImport(Lib)]
    public static extern int pa_stream_drop(IntPtr stream);

    [DllImport(Lib)]
    public static extern int pa_stream_get_latency(IntPtr stream, out ulong usec, out int negative);

    [DllImport(Lib)]
    public static extern int pa_stream_disconnect(IntPtr stream);

    [DllImport(Lib)]
    public static extern void pa_stream_unref(IntPtr stream);

    [DllImport(Lib)]
    public static extern IntPtr pa_strerror(int error);

    public static string Error(int error) => Marshal.PtrToStringUTF8(pa_strerror(error)) ?? $"error {error}";
}
