using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Service;

/// <summary>The published service on file and stdin sources: it logs wake events, ends input as configured, reloads.</summary>
public sealed class ServiceDetectionTests : IDisposable
{
    private const string WakeLine = WakeLogLine.Computer;
    private readonly ServiceScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task FileSourceLogsWakeEventsToConsoleAndFileThenExitsWhenAskedTo()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        // tiny.onnx fires at 0.3 on this file: enough to prove the plumbing from file to log.
        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Models:Active:0:Threshold=0.3", "--Audio:Source=file", $"--Audio:FilePath={RepoPaths.Audio("computer_real_1.wav")}", "--Audio:ExitAtEnd=true")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Listening on file:", result.Stdout);
        string wake = result.StdoutLines.First(l => l.Contains(WakeLine, StringComparison.Ordinal));
        Assert.Matches(@"score 0\.\d{3} \(threshold 0\.3\), audio offset 00:00:0\d\.\d+, time \d{4}-\d\d-\d\dT", wake);
        Assert.Contains("End of input from file:", result.Stdout);
        Assert.Contains(WakeLine, _scratch.FileLog());
    }

    [RequiresShippedModelFact]
    public async Task ShippedModelDefaultSettingsDetectTheRecordingOnce()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(
            "--Audio:Source=file", $"--Audio:FilePath={RepoPaths.Audio("computer_real_1.wav")}", "--Audio:ExitAtEnd=true"));

        Assert.True(result.ExitCode == 0, result.ToString());
        string wake = Assert.Single(result.StdoutLines, l => l.Contains(WakeLine, StringComparison.Ordinal));
        TimeSpan offset = WakeLogLine.AudioOffset(wake);
        // The recording sits between 1.0 s and 3.0 s (tests/data/audio/README.md); see DetectCommandTests for the window.
        Assert.InRange(offset.TotalSeconds, 1.0, 3.0 + 0.5);
    }

    [Fact]
    public async Task EndOfFileKeepsTheServiceRunningIdleByDefault()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Audio:Source=file", $"--Audio:FilePath={RepoPaths.Audio("computer_synth_noisy.wav")}")));
        await service.WaitForLineAsync("End of input");

        // Still there after the end: it answers on its pipe, with the whole file scored.
        double seconds = WavData.PcmBytes(RepoPaths.Audio("computer_synth_noisy.wav")).Length / 32000.0;
        await ServiceStatusProbe.WaitForAudioAsync(Path.Combine(_scratch.Folder, "ev.sock"), seconds, context: () => service.Output);
        Assert.False(service.HasExited, service.Output);
        Assert.Contains("stays up, idle", service.Output);
    }

    [Fact]
    public async Task RealTimeFileSourceTakesAsLongAsTheRecordingAndStillDetects()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string file = RepoPaths.Audio("computer_real_1.wav"); // 4.0 s
        var clock = System.Diagnostics.Stopwatch.StartNew();

        ProcessResult result = await apps.RunServiceAsync(null, null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Models:Active:0:Threshold=0.3", "--Audio:Source=file", $"--Audio:FilePath={file}", "--Audio:RealTime=true", "--Audio:ExitAtEnd=true")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.StdoutLines, l => l.Contains(WakeLine, StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.Contains("(real time) after 4.00 s of audio", StringComparison.Ordinal));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4), $"4 s of audio took {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task StdinSourceDetectsPipedPcm()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        byte[] pcm = WavData.PcmBytes(RepoPaths.Audio("computer_real_2.wav"));

        ProcessResult result = await apps.RunServiceAsync(null, pcm, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin", "--Audio:ExitAtEnd=true")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Listening on stdin", result.Stdout);
        Assert.Contains(WakeLine, result.Stdout);
        Assert.Contains("End of input from stdin after 4.00 s of audio", result.Stdout);
    }

    [Fact]
    public async Task OddByteStdinStopsTheServiceWithAnAudioError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, new byte[3201], _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin")));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("stdin: expected raw 16-bit little-endian mono PCM at 16000 Hz; got an odd number of bytes (3201)", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task AWavFileOnStdinStopsTheServiceWithAdviceInTheServicesTerms()
    {
        // The CLI's advice ("pass the file path instead of '-'") means nothing to the service.
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunServiceAsync(null, await File.ReadAllBytesAsync(RepoPaths.Audio("computer_real_1.wav")),
            _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin")));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("got a WAV file (RIFF header). To play a WAV file, set Audio:Source=file and Audio:FilePath to it", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("instead of '-'", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThresholdChangesInTheSettingsFileApplyLiveAndBadOnesAreRejected()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string settings = Path.Combine(_scratch.Folder, "appsettings.json");
        await File.WriteAllTextAsync(settings, Settings("0.6"));

        await using ServiceProcess service = apps.StartService(
            new Dictionary<string, string> { ["WAKEWORD_CONFIG"] = settings },
            _scratch.Arguments("--Audio:Source=stdin"));
        await service.WaitForLineAsync("Listening on stdin");

        await File.WriteAllTextAsync(settings, Settings("0.45"));
        string changed = await service.WaitForLineAsync("Detector of tiny changed");
        await File.WriteAllTextAsync(settings, Settings("1.5"));
        string rejected = await service.WaitForLineAsync("kept the running settings");

        Assert.Contains("threshold 0.6 -> 0.45", changed);
        Assert.Contains("Models:Active:0:Threshold = 1.5 must be in [0, 1]", rejected);
        Assert.False(service.HasExited, service.Output);
    }

    private static string Settings(string threshold) => $$"""
        { "Models": { "Active": [ { "Word": "", "Path": "{{RepoPaths.TinyModel}}", "Threshold": {{threshold}} } ] } }
        """;
}
