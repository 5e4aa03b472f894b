using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace WakeWord.Tests.Shared;

/// <summary>
/// What a test host leaves in the temp folder when it is ended without its exit handlers, and who deletes it.
/// <c>dotnet test</c> kills a host that has not exited 100 ms after its run (VSTest's VSTEST_TESTHOST_SHUTDOWN_TIMEOUT),
/// which a loaded machine often misses: ProcessExit handlers never run, and the runtime's own files (the debugger's
/// clr-debug-pipe pair, the dotnet-diagnostic socket) stay behind, one set per killed host. On Unix a detached shell
/// deletes such paths once their process is gone (<see cref="DeleteWhenGone"/>); folders named after their process are
/// also swept by the next run (<see cref="DeleteDeadFolders"/>). Compiled into every test project (Directory.Build.props).
/// </summary>
internal static class RunLeftovers
{
    /// <summary>This host's runtime files that a reaper deletes once it has exited (empty on Windows).</summary>
    public static IReadOnlyList<string> OwnRuntimeFiles { get; private set; } = [];

    [ModuleInitializer]
    internal static void ReapOwnRuntimeFiles()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int pid = Environment.ProcessId;
        string temp = Path.GetTempPath();
        string[] files =
        [
            .. Directory.EnumerateFiles(temp, $"clr-debug-pipe-{pid}-*"),
            .. Directory.EnumerateFiles(temp, $"dotnet-diagnostic-{pid}-*"),
        ];
        if (files.Length > 0)
        {
            DeleteWhenGone(pid, files);
        }

        OwnRuntimeFiles = files;
    }

    /// <summary>
    /// Creates <paramref name="folder"/> for this process and makes sure it goes with it: deleted at a clean exit, and
    /// by a reaper once the process is gone when it is killed instead.
    /// </summary>
    public static string CreateFolderOfThisProcess(string folder)
    {
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        DeleteWhenGone(Environment.ProcessId, folder);
        return folder;
    }

    /// <summary>
    /// Starts a detached shell (a background subshell of a shell that exits at once, so it is no child of the test host
    /// and survives a kill of its process tree) that deletes <paramref name="paths"/> once process
    /// <paramref name="pid"/> has exited. It checks every 2 s; no-op on Windows.
    /// </summary>
    public static void DeleteWhenGone(int pid, params string[] paths)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const string Script = """( exec </dev/null >/dev/null 2>&1; pid=$1; shift; while kill -0 "$pid"; do sleep 2; done; rm -rf -- "$@" ) &""";
        var info = new ProcessStartInfo("sh", ["-c", Script, "wakeword-reaper", pid.ToString(CultureInfo.InvariantCulture), .. paths])
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

    /// <summary>Deletes the folders <c>PREFIX-PID-*</c> in <paramref name="root"/> whose process no longer runs.</summary>
    public static void DeleteDeadFolders(string root, string prefix)
    {
        foreach (string folder in Directory.EnumerateDirectories(root, prefix + "*"))
        {
            string[] parts = Path.GetFileName(folder)[prefix.Length..].Split('-');
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
            // Another user's folder, or one in use: the next sweep or the reaper takes it.
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
