namespace WakeWord.Audio.Tests.Capture;

/// <summary>The theory twin of <see cref="PulseFactAttribute"/>: skipped with the reason where PulseAudio is missing.</summary>
public sealed class PulseTheoryAttribute : TheoryAttribute
{
    public PulseTheoryAttribute()
    {
        if (!PulseFactAttribute.ToolsPresent)
        {
            Skip = "PulseAudio is not installed: apt-get install pulseaudio pulseaudio-utils libasound2-plugins";
        }
    }
}
