using WakeWord.Service.Worker;

namespace WakeWord.Service.Tests.Worker;

/// <summary>The folder watcher behind Models:ReloadOnFileChange, on real folders (inotify on Linux).</summary>
public sealed class ModelFileWatcherTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly string folder = Directory.CreateTempSubdirectory("wakeword-watch-").FullName;
    private int calls;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_burst_of_writes_gives_one_callback_once_the_folder_is_quiet()
    {
        using var watcher = new ModelFileWatcher(() => Interlocked.Increment(ref calls), TimeSpan.FromSeconds(1));
        watcher.Watch([folder, Path.Combine(folder, "not-there")]);
        Assert.Equal([folder], watcher.Folders);

        string model = Path.Combine(folder, "wake.onnx");
        for (int i = 0; i < 20; i++)
        {
            File.AppendAllText(model, "x"); // a copy arriving in pieces
        }

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref calls) > 0, Wait), "no callback");
        Thread.Sleep(2500);
        // One per burst (two only if this machine stalled for a whole quiet time between two writes), not one per write.
        Assert.InRange(Volatile.Read(ref calls), 1, 2);
    }

    [Fact]
    public void A_rename_over_the_model_counts_and_a_folder_no_longer_watched_does_not()
    {
        string other = Directory.CreateDirectory(Path.Combine(folder, "other")).FullName;
        using var watcher = new ModelFileWatcher(() => Interlocked.Increment(ref calls), TimeSpan.FromMilliseconds(300));
        watcher.Watch([folder]);

        File.WriteAllText(Path.Combine(other, "wake.onnx.part"), "new model");
        File.Move(Path.Combine(other, "wake.onnx.part"), Path.Combine(folder, "wake.onnx"));
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 1, Wait), "the rename was not seen");

        watcher.Watch([other]);
        File.WriteAllText(Path.Combine(folder, "wake.onnx"), "ignored now");
        Thread.Sleep(1000);
        Assert.Equal(1, Volatile.Read(ref calls));
        File.WriteAllText(Path.Combine(other, "seen.onnx"), "seen");
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 2, Wait), "the newly watched folder was not seen");

        watcher.Dispose();
        File.WriteAllText(Path.Combine(other, "seen.onnx"), "after dispose");
        Thread.Sleep(1000);
        Assert.Equal(2, Volatile.Read(ref calls));
    }
}
