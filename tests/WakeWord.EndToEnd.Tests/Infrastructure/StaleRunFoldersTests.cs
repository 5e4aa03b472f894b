using System.Diagnostics;
using WakeWord.Tests.Shared;

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
        string pipe = Path.Combine(_tempRoot, $"clr-debug-pipe-{run.Id}-1-in"); // a runtime file beside it (a plain file here)
        File.WriteAllText(pipe, "");

        RunLeftovers.DeleteWhenGone(run.Id, folder, pipe);
        Assert.True(Directory.Exists(folder)); // the shell that started the reaper has returned; the run lives on
        Assert.True(File.Exists(pipe));

        run.StandardInput.Close();
        await run.WaitForExitAsync();
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((Directory.Exists(folder) || File.Exists(pipe)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(Directory.Exists(folder), "the reaper did not delete the folder within 30 s of the process exiting");
        Assert.False(File.Exists(pipe), "the reaper did not delete the file within 30 s of the process exiting");
    }

    [Fact]
    public void ThisHostsRuntimeFilesAreHandedToAReaper()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics") == "0")
        {
            return; // no such files: Windows uses named pipes, and diagnostics off makes none
        }

        // The debugger's pipe pair: what a host killed by `dotnet test` after its run left in /tmp.
        string[] pipes = Directory.GetFiles(Path.GetTempPath(), $"clr-debug-pipe-{Environment.ProcessId}-*");
        Assert.Equal(2, pipes.Length);
        Assert.Subset(RunLeftovers.OwnRuntimeFiles.ToHashSet(), pipes.ToHashSet());
    }
}
