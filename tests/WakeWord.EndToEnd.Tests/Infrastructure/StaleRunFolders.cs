using System.Diagnostics;
using System.Globalization;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Deletes the published-apps folders (about 0.5 GB each) of test runs whose process is gone. The test host is often
/// ended without running ProcessExit handlers, so each run's own cleanup cannot be relied on; the next run sweeps.
/// </summary>
public static class StaleRunFolders
{
    public const string Prefix = "wakeword-e2e-";

    public static string NewFolder(string tempRoot) =>
        Path.Combine(tempRoot, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");

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
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
