namespace WakeWord.EndToEnd.Tests.Pipe;

/// <summary>A test that creates a second local user and group: Linux and root only (CI runs as root); skipped with the reason otherwise.</summary>
public sealed class LinuxRootFactAttribute : FactAttribute
{
    public LinuxRootFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: tests the event socket's Unix permissions.";
        }
        else if (!Environment.IsPrivilegedProcess)
        {
            Skip = "Needs root to create a second user and group (useradd, groupadd) and to run as them (runuser).";
        }
    }
}
