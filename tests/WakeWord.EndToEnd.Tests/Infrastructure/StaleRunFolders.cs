using System.Diagnostics;
using System.Globalization;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Deletes the published-apps folders (about 0.5 GB each) of test runs whose process is gone. The test host is often
/// ended without running ProcessExit handlers, so each run's own cleanup cannot be relied on: on Unix a detached
/// reaper deletes a run's folder once its process is gone (<see cref="DeleteWhenGone"/>), and the next run sweeps
/// whatever is left (the reaper killed, Windows).
/// </summary>
public static class StaleRunFolders
{
    public const string Prefix = "wakeword-e2e-";

    // Short: services under test keep their diagnostics socket in this folder, and a Unix socket path ends at 108 bytes.
    public static string NewFolder(string tempRoot) =>
        Path.Combine(tempRoot, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");

    public static void DeleteDead(string tempRoot)
    {
        foreach (string folder in Directory.EnumerateDirectories(tempRoot, Prefix + "*"))
        {
            string[] parts = Path.GetFileName(folder)[Prefix.Length..].Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !IsRunning(pid))
            {
                TryDelete(folder);
            }
        }
    }

    /// <summary>
    /// Starts a detached shell (a background subshell of a shell that exits at once, so it is no child of the test host
    /// and survives a kill of its process tree) that deletes <paramref name="folder"/> once process
    /// <paramref name="pid"/> has exited. It checks every 2 s; no-op on Windows.
    /// </summary>
    public static void DeleteWhenGone(string folder, int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const string Script = """( exec </dev/null >/dev/null 2>&1; while kill -0 "$1"; do sleep 2; done; rm -rf -- "$2" ) &""";
        var info = new ProcessStartInfo("sh", ["-c", Script, "wakeword-reaper", pid.ToString(CultureInfo.InvariantCulture), folder])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process shell = Process.Start(info)!;
        shell.StandardInput.Close();
        shell.WaitForExit();
    }

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's folder, or one in use: the next sweep tries again.
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
