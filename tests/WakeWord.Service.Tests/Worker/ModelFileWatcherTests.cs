using Microsoft.Extensions.Time.Testing;
using WakeWord.Service.Worker;

namespace WakeWord.Service.Tests.Worker;

/// <summary>
/// The folder watcher behind Models:ReloadOnFileChange, on real folders (inotify on Linux) with an injected clock: the
/// quiet time passes only when the test advances it, so nothing here depends on how fast the machine is.
/// </summary>
public sealed class ModelFileWatcherTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-watch-").FullName;
    private readonly FakeTimeProvider _time = new();
    private int _calls;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_burst_of_writes_gives_one_callback_once_the_folder_is_quiet()
    {
        using var watcher = new ModelFileWatcher(() => Interlocked.Increment(ref _calls), Quiet, _time);
        watcher.Watch([_folder, Path.Combine(_folder, "not-there")]);
        Assert.Equal([_folder], watcher.Folders);

        string model = Path.Combine(_folder, "wake.onnx");
        for (int i = 0; i < 20; i++)
        {
            File.AppendAllText(model, "x"); // a copy arriving in pieces, all within one quiet time
        }

        Assert.True(SpinWait.SpinUntil(() => watcher.EventsSeen > 0, Wait), "no file system event");
        _time.Advance(Quiet - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, Volatile.Read(ref _calls)); // not one per write, and not before the folder has been quiet

        // Late events of the burst restart the quiet time; the callback comes once it has passed after the last one.
        Assert.True(SpinWait.SpinUntil(() => { _time.Advance(TimeSpan.FromMilliseconds(1)); return Volatile.Read(ref _calls) > 0; }, Wait), "no callback");
        Assert.Equal(1, Volatile.Read(ref _calls));
    }

    [Fact]
    public void A_rename_over_the_model_counts_and_a_folder_no_longer_watched_does_not()
    {
        string other = Directory.CreateDirectory(Path.Combine(_folder, "other")).FullName;
        using var watcher = new ModelFileWatcher(() => Interlocked.Increment(ref _calls), Quiet, _time);
        watcher.Watch([_folder]);

        File.WriteAllText(Path.Combine(other, "wake.onnx.part"), "new model");
        File.Move(Path.Combine(other, "wake.onnx.part"), Path.Combine(_folder, "wake.onnx"));
        Assert.True(SpinWait.SpinUntil(() => watcher.EventsSeen > 0, Wait), "the rename was not seen");
        _time.Advance(Quiet);
        Assert.Equal(1, Volatile.Read(ref _calls));

        // Only the newly watched folder: a write in the old one, then one in the new one, and exactly one callback.
        watcher.Watch([other]);
        Assert.Equal([other], watcher.Folders);
        long before = watcher.EventsSeen;
        File.WriteAllText(Path.Combine(_folder, "wake.onnx"), "ignored now");
        File.WriteAllText(Path.Combine(other, "seen.onnx"), "seen");
        Assert.True(SpinWait.SpinUntil(() => watcher.EventsSeen > before, Wait), "the newly watched folder was not seen");
        _time.Advance(Quiet);
        Assert.Equal(2, Volatile.Read(ref _calls));

        // Disposed: a change and any amount of time give nothing.
        watcher.Dispose();
        File.WriteAllText(Path.Combine(other, "seen.onnx"), "after dispose");
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, Volatile.Read(ref _calls));
    }
}
