using WakeWord.Tests.Support;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// A fact that needs the PulseAudio daemon and tools (pulseaudio, pactl, paplay) and libasound's pulse plugin: skipped,
/// with the reason and the packages to install, where they are missing. CI installs them, so there it always runs.
/// </summary>
public sealed class PulseFactAttribute : FactAttribute
{
    public PulseFactAttribute()
    {
        if (!ToolsPresent)
        {
            Skip = "PulseAudio is not installed: apt-get install pulseaudio pulseaudio-utils libasound2-plugins";
        }
    }

    public static bool ToolsPresent { get; } = OperatingSystem.IsLinux() && SearchPath.HasAll("pulseaudio", "pactl", "paplay");
}
