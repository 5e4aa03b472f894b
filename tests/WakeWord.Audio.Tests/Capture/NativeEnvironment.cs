using System.Runtime.InteropServices;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// Sets a variable for both managed code (child processes: paplay, pactl, the service) and native code in this process
/// (libpulse reads PULSE_SERVER with getenv; .NET's Environment.SetEnvironmentVariable does not reach the C environment).
/// </summary>
internal static class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (setenv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
