using System.Diagnostics;

namespace WakeWord.EndToEnd.Tests.Infrastructure;

public sealed class StaleRunFoldersTests : IDisposable
{
    private readonly string _tempRoot = Directory.CreateTempSubdirectory("wakeword-stale-").FullName;

    public void Dispose() => Directory.Delete(_tempRoot, recursive: true);

    [Fact]
    public void FoldersOfDeadRunsAreDeletedAndThoseOfLiveRunsAndOthersKept()
    {
        // pid_max is at most 2^22 on Linux: no process has this id.
        string dead = Directory.CreateDirectory(Path.Combine(_tempRoot, StaleRunFolders.Prefix + "99999999-abc")).FullName;
        File.WriteAllText(Path.Combine(dead, "wakeword.dll"), "x");
        string live = Directory.CreateDirectory(StaleRunFolders.NewFolder(_tempRoot)).FullName;
        string other = Directory.CreateDirectory(Path.Combine(_tempRoot, StaleRunFolders.Prefix + "notes")).FullName;

        StaleRunFolders.DeleteDead(_tempRoot);

        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(other));
    }

    [Fact]
    public async Task TheReaperDeletesARunsFolderOnceItsProcessHasExitedAndNotBefore()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No reaper there: the next run's sweep only.
        }

        // A stand-in for the test host: a process that lives until its stdin closes.
        using Process run = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "read line"]) { RedirectStandardInput = true, UseShellExecute = false })!;
        string folder = Directory.CreateDirectory(Path.Combine(_tempRoot, StaleRunFolders.Prefix + run.Id + "-reaped")).FullName;
        File.WriteAllText(Path.Combine(folder, "wakeword.dll"), "x");

        StaleRunFolders.DeleteWhenGone(folder, run.Id);
        Assert.True(Directory.Exists(folder)); // the shell that started the reaper has returned; the run lives on

        run.StandardInput.Close();
        await run.WaitForExitAsync();
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.Exists(folder) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(Directory.Exists(folder), "the reaper did not delete the folder within 30 s of the process exiting");
    }
}
