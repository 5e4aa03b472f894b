using WakeWord.Tests.Shared;

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
        RunLeftovers.DeleteDeadFolders(temp, Prefix);
        return RunLeftovers.CreateFolderOfThisProcess(Path.Combine(temp, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}"));
    }
}
