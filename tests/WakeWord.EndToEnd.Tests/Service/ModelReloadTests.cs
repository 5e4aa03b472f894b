using System.Collections.Concurrent;
using System.Reactive.Linq;
using WakeWord.Client;
using WakeWord.Client.Protocol;
using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Service;

/// <summary>
/// The published service swaps models while it runs: a model file replaced on disk, or another model named in the
/// settings file, is loaded and announced on the pipe; a broken file is refused and the running model keeps listening.
/// </summary>
public sealed class ModelReloadTests : IDisposable
{
    private const string WakeLine = WakeLogLine.Computer;
    private static readonly string ActivateModel = Path.Combine(RepoPaths.Root, "models", "activate.onnx");
    private readonly ServiceScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ModelFileReplacedOnDiskIsReloadedAnnouncedAndContinuesTheStreamWhileABrokenFileIsRefused()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string model = _scratch.CopyOfTinyModel();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(
            ServiceScratch.ModelAt(model, "--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin")));
        await service.WaitForLineAsync("Listening on stdin");
        await using var client = new WakeWordClient(new WakeWordClientOptions { PipeName = Path.Combine(_scratch.Folder, "ev.sock") });
        var reloads = new ConcurrentQueue<StatusEvent>();
        using IDisposable sub = client.Messages.OfType<StatusEvent>().Where(s => s.Status == StatusKinds.ModelReloaded).Subscribe(reloads.Enqueue);
        await client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Padded to whole 100 ms chunks of the service, so every sample is scored before the next step's reload.
        byte[] pcm = WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav"));
        byte[] recording = new byte[(pcm.Length + 3199) / 3200 * 3200];
        pcm.CopyTo(recording, 0);
        double recordingSeconds = recording.Length / 2 / 16000.0;
        TimeSpan first = await PlayAndGetOffsetAsync(service, recording, recordingSeconds);

        // A broken file (what a half-finished copy looks like): refused, named, and the running model stays.
        Replace(model, "this is not an ONNX model"u8.ToArray());
        string refused = await service.WaitForLineAsync("Models not reloaded");
        Assert.True(refused.Contains("wake.onnx", StringComparison.Ordinal) && refused.Contains("still listening for \"computer\" (wake)", StringComparison.Ordinal), refused);

        // Another model in its place: loaded, logged and announced with its word.
        Replace(model, await File.ReadAllBytesAsync(ActivateModel));
        string reloaded = await service.WaitForLineAsync("Models reloaded");
        Assert.Contains("wake.onnx changed on disk", reloaded, StringComparison.Ordinal);
        Assert.Contains("now listening for \"activate\" (wake)", reloaded, StringComparison.Ordinal);
        StatusEvent status = await WaitForAsync(reloads, 1);
        Assert.Equal(["activate"], status.Words);

        // Back to the first model: it starts fresh where the stream is, so the same recording fires at the same
        // place within it, one recording later in the stream.
        Replace(model, await File.ReadAllBytesAsync(RepoPaths.TinyModel));
        await service.WaitForLineAsync("Models reloaded", skip: 1);
        Assert.Equal(["computer"], (await WaitForAsync(reloads, 2)).Words);
        TimeSpan second = await PlayAndGetOffsetAsync(service, recording, 2 * recordingSeconds);
        Assert.Equal(first.TotalSeconds + recordingSeconds, second.TotalSeconds, 0.011);
        Assert.False(service.HasExited, service.Output);
    }

    [Fact]
    public async Task AnotherModelNamedInTheSettingsFileIsLoadedWithoutARestart()
    {
        string settings = SettingsPath;
        await using ServiceProcess service = await StartWithSettingsFileAsync();

        await File.WriteAllTextAsync(settings, Settings(ActivateModel));
        string reloaded = await service.WaitForLineAsync("Models reloaded");
        Assert.Contains($"{settings} names other models: activate.onnx", reloaded, StringComparison.Ordinal);
        Assert.Contains("now listening for \"activate\" (activate)", reloaded, StringComparison.Ordinal);

        // A model file that does not exist is refused by validation; the running model stays.
        await File.WriteAllTextAsync(settings, Settings(Path.Combine(_scratch.Folder, "missing.onnx")));
        string rejected = await service.WaitForLineAsync("kept the running settings");
        Assert.Contains("missing.onnx", rejected, StringComparison.Ordinal);
        Assert.DoesNotContain("Models reloaded", service.Output.Split("kept the running settings")[1], StringComparison.Ordinal);
        Assert.False(service.HasExited, service.Output);
    }

    [Fact]
    public async Task SettingsFileMadeInvalidEmptiedOrDeletedIsLoggedAndTheRunningModelsStay()
    {
        string settings = SettingsPath;
        await using ServiceProcess service = await StartWithSettingsFileAsync();

        // .NET's provider reads each of these as "no values": the shipped settings would then name other models.
        // Written aside and renamed over, so the watcher sees each content once.
        Replace(settings, "{ \"Models\": { \"Active\": [ { \"Word\": \"computer\",, "u8.ToArray());
        string invalid = await service.WaitForLineAsync("is not valid JSON");
        Assert.Contains("Settings not reloaded: " + settings + " is not valid JSON: line 1, position", invalid, StringComparison.Ordinal);
        Replace(settings, []);
        Assert.Contains("the running models and settings stay", await service.WaitForLineAsync(settings + " is empty"), StringComparison.Ordinal);
        File.Delete(settings);
        await service.WaitForLineAsync(settings + " was deleted");

        // Fixed again: the change applies to the model that kept running, which was never swapped.
        Replace(settings, System.Text.Encoding.UTF8.GetBytes(Settings(RepoPaths.TinyModel, threshold: 0.4)));
        string changed = await service.WaitForLineAsync("Detector of tiny changed");
        Assert.Contains($"({settings} reloaded): threshold 0.3 -> 0.4", changed, StringComparison.Ordinal);
        Assert.DoesNotContain("Models reloaded", service.Output, StringComparison.Ordinal);
        Assert.False(service.HasExited, service.Output);
    }

    // Not named appsettings.json: the messages must name this file, WAKEWORD_CONFIG's, not the shipped one.
    private string SettingsPath => Path.Combine(_scratch.Folder, "site-settings.json");

    /// <summary>The service on stdin with a WAKEWORD_CONFIG file (<see cref="SettingsPath"/>) that runs the tiny model at 0.3.</summary>
    private async Task<ServiceProcess> StartWithSettingsFileAsync()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await File.WriteAllTextAsync(SettingsPath, Settings(RepoPaths.TinyModel));
        ServiceProcess service = apps.StartService(
            new Dictionary<string, string> { ["WAKEWORD_CONFIG"] = SettingsPath },
            _scratch.Arguments("--Audio:Source=stdin"));
        try
        {
            await service.WaitForLineAsync("Listening on stdin");
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    private static string Settings(string modelPath, double threshold = 0.3) => $$"""
        { "Models": { "Active": [ { "Word": "", "Path": "{{modelPath.Replace("\\", "\\\\", StringComparison.Ordinal)}}", "Threshold": {{threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } ] } }
        """;

    /// <summary>Plays a recording into stdin and returns the audio offset of the first wake it gives, once the service
    /// has scored all of it (<paramref name="streamSeconds"/> in total), so that a reload comes after all of it.</summary>
    private async Task<TimeSpan> PlayAndGetOffsetAsync(ServiceProcess service, byte[] recording, double streamSeconds)
    {
        int before = WakeLogLine.CountIn(service.Output);
        await service.StandardInput.WriteAsync(recording);
        await service.StandardInput.FlushAsync();
        string wake = await service.WaitForLineAsync(WakeLine, skip: before);
        // Padded to whole chunks: every sample is scored, so no tolerance.
        await ServiceStatusProbe.WaitForAudioAsync(Path.Combine(_scratch.Folder, "ev.sock"), streamSeconds, context: () => service.Output, tolerance: 0);
        return WakeLogLine.AudioOffset(wake);
    }

    /// <summary>Replaces a file the way deployments should (write aside, then rename over), so no reader sees half of it.</summary>
    private static void Replace(string path, byte[] content)
    {
        string temporary = path + ".part";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task<StatusEvent> WaitForAsync(ConcurrentQueue<StatusEvent> queue, int count)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (queue.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{queue.Count} model_reloaded statuses, expected {count}");
            await Task.Delay(50);
        }

        return queue.ToArray()[count - 1];
    }
}
