using WakeWord.Tests.Shared;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The TMPDIR of every process these tests start (<see cref="ProcessRunner"/>): a folder of this test process that
/// goes with it (<see cref="StaleRunFolders"/>: a reaper deletes it once the process is gone, the next run sweeps
/// leftovers). What those processes leave in their temp folder ends there, not in /tmp: the SDK's empty folders from
/// each dotnet publish, pack and tool restore, libpulse's fallback runtime folder (pulse-*) of a client with no
/// XDG_RUNTIME_DIR, and the temp files of a killed service.
/// </summary>
public static class TestTemp
{
    private static readonly Lazy<string> Root = new(Create);

    public static string Folder => Root.Value;

    private static string Create() => RunLeftovers.CreateFolderOfThisProcess(StaleRunFolders.NewFolder(Path.GetTempPath()));
}
