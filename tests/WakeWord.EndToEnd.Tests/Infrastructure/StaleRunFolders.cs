using WakeWord.Tests.Shared;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The folders of one end-to-end test run (published apps, about 0.5 GB; the TMPDIR of the processes it starts), named
/// after the run's process. The test host is often ended without running ProcessExit handlers, so each run's own
/// cleanup cannot be relied on: on Unix a detached reaper deletes a run's folder once its process is gone, and the next
/// run sweeps whatever is left (the reaper killed, Windows). <see cref="RunLeftovers"/> does both.
/// </summary>
public static class StaleRunFolders
{
    public const string Prefix = "wakeword-e2e-";

    // Short: services under test keep their diagnostics socket in this folder, and a Unix socket path ends at 108 bytes.
    public static string NewFolder(string tempRoot) =>
        Path.Combine(tempRoot, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");

    public static void DeleteDead(string tempRoot) => RunLeftovers.DeleteDeadFolders(tempRoot, Prefix);
}
