namespace WakeWord.EndToEnd.Tests.Infrastructure;

public sealed class StaleRunFoldersTests : IDisposable
{
    private readonly string tempRoot = Directory.CreateTempSubdirectory("wakeword-stale-").FullName;

    public void Dispose() => Directory.Delete(tempRoot, recursive: true);

    [Fact]
    public void FoldersOfDeadRunsAreDeletedAndThoseOfLiveRunsAndOthersKept()
    {
        // pid_max is at most 2^22 on Linux: no process has this id.
        string dead = Directory.CreateDirectory(Path.Combine(tempRoot, StaleRunFolders.Prefix + "99999999-abc")).FullName;
        File.WriteAllText(Path.Combine(dead, "wakeword.dll"), "x");
        string live = Directory.CreateDirectory(StaleRunFolders.NewFolder(tempRoot)).FullName;
        string other = Directory.CreateDirectory(Path.Combine(tempRoot, StaleRunFolders.Prefix + "notes")).FullName;

        StaleRunFolders.DeleteDead(tempRoot);

        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(other));
    }
}
