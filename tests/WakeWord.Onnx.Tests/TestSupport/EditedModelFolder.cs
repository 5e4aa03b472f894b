using System.Diagnostics;
using System.Globalization;

namespace WakeWord.Onnx.Tests.TestSupport;

/// <summary>
/// Where <see cref="OnnxMetadataEditor"/> writes its edited models: one folder per test process,
/// /tmp/wakeword-onnx-tests-PID-GUID, deleted when the process exits. A test host is often ended without its exit
/// handlers, so on Unix a detached shell also deletes the folder once the process is gone, and each run sweeps the
/// folders of processes that no longer run (a shared /tmp/wakeword-onnx-tests gathered 17 folders over a few runs).
/// </summary>
internal static class EditedModelFolder
{
    private const string Prefix = "wakeword-onnx-tests-";
    private static readonly Lazy<string> Root = new(Create);

    /// <summary>A new, empty folder for one edited model.</summary>
    public static string NewFolder() => Directory.CreateDirectory(Path.Combine(Root.Value, Guid.NewGuid().ToString("N"))).FullName;

    private static string Create()
    {
        string temp = Path.GetTempPath();
        foreach (string folder in Directory.EnumerateDirectories(temp, Prefix + "*"))
        {
            string[] parts = Path.GetFileName(folder)[Prefix.Length..].Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !IsRunning(pid))
            {
                TryDelete(folder);
            }
        }

        string root = Path.Combine(temp, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        DeleteWhenGone(root, Environment.ProcessId);
        return root;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A shell that is no child of the test host (it survives a kill of its process tree) deletes the folder
    /// once process <paramref name="pid"/> has exited; checks every 2 s. No-op on Windows.</summary>
    private static void DeleteWhenGone(string folder, int pid)
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

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // In use or gone already: the next run's sweep or the reaper takes it.
        }
    }
}
