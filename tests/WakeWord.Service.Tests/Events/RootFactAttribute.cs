namespace WakeWord.Service.Tests.Events;

/// <summary>A Linux test that must create users and groups: skipped, with the reason, when not root or not on Linux.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: tests Unix socket permissions.";
        }
        else if (!Environment.IsPrivilegedProcess)
        {
            Skip = "Needs root to create a second user and group (useradd/groupadd); CI runs the tests as root.";
        }
        else if (!File.Exists(PermissionTests.Python))
        {
            Skip = $"Needs {PermissionTests.Python} for the other user's client process.";
        }
    }
}
