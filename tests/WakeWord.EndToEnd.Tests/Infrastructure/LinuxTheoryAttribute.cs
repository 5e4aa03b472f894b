namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>A theory about Linux behaviour (shell scripts, file modes); skipped with the reason elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: runs the Linux deployment scripts.";
        }
    }
}
