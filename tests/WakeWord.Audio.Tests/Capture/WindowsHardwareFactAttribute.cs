namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// A fact that needs a real Windows capture device. Off Windows it is skipped with this reason (so a plain
/// `dotnet test` on Linux stays green and the report says why); tests using it also carry Category=Hardware so a
/// Windows machine without a microphone can filter them out with --filter "Category!=Hardware".
/// </summary>
public sealed class WindowsHardwareFactAttribute : FactAttribute
{
    public WindowsHardwareFactAttribute()
    {
        if (!OperatingSystem.IsWindows())
        {
            Skip = "Hardware test: needs Windows and a microphone (WASAPI)";
        }
    }
}
