namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>A test of Linux behaviour (file modes, /dev/full, signals); skipped with the reason elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: uses Unix file modes, /dev/full and setpriv.";
        }
    }
}
