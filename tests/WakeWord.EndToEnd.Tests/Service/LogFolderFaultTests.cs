using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.EndToEnd.Tests.Pipe;

namespace WakeWord.EndToEnd.Tests.Service;

/// <summary>
/// The fault matrix's log rows against the published service: a log folder it may not write, and a full disk (the log
/// file is /dev/full, which fails every write with ENOSPC as a full file system does). The service keeps detecting and
/// serving events, and says once on the console (the journal) that the file log cannot be written and why.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LogFolderFaultTests : IDisposable
{
    private const string SinkFailed = "A log sink cannot write";
    private readonly ServiceScratch _scratch = new();

    public void Dispose()
    {
        if (Directory.Exists(_scratch.LogFolder))
        {
            File.SetUnixFileMode(_scratch.LogFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        _scratch.Dispose();
    }

    [LinuxFact]
    public async Task A_read_only_log_folder_is_reported_once_and_the_service_keeps_detecting()
    {
        Directory.CreateDirectory(_scratch.LogFolder);
        File.SetUnixFileMode(_scratch.LogFolder, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        string line = await RunOneKeywordAsync([]);

        Assert.Contains(Path.Combine(_scratch.LogFolder, "wakeword-"), line, StringComparison.Ordinal);
        Assert.Contains("denied", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_scratch.LogFolder));
    }

    [LinuxFact]
    public async Task A_full_disk_under_the_log_is_reported_once_and_the_service_keeps_detecting()
    {
        // One file, not a daily one, so that its name is known before the service starts.
        Directory.CreateDirectory(_scratch.LogFolder);
        string log = Path.Combine(_scratch.LogFolder, "wakeword-.log");
        File.CreateSymbolicLink(log, "/dev/full");

        string line = await RunOneKeywordAsync(["--Serilog:WriteTo:1:Args:rollingInterval=Infinite"]);

        Assert.Contains("No space left on device", line, StringComparison.Ordinal);
        Assert.Contains(log, line, StringComparison.Ordinal);
    }

    // Starts the service, waits for the sink's report, detects a keyword (logged on the console and delivered over the
    // pipe), stops it with SIGTERM (exit 0) and returns the report line, checked to be there once.
    private async Task<string> RunOneKeywordAsync(string[] settings)
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartServiceBoundByPermissions(null, _scratch.Arguments(ServiceScratch.TinyModel(
            ["--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin", .. settings])));
        await service.WaitForLineAsync("Serving wake events on");
        string line = await service.WaitForLineAsync(SinkFailed);
        Assert.Contains("the console log has every line", line, StringComparison.Ordinal);

        string socket = Path.Combine(_scratch.Folder, "ev.sock");
        await using var subscriber = new ReadingSubscriber(socket);
        await subscriber.Client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await service.StandardInput.WriteAsync(WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")));
        await service.StandardInput.FlushAsync();
        await service.WaitForLineAsync(WakeLogLine.Computer);
        await Eventually.WaitUntilAsync(() => subscriber.Received.Count >= 1, TimeSpan.FromSeconds(30),
            () => "the wake event did not reach the pipe client");

        service.Signal("TERM");
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        // Every later line failed too; the report came once (the rate limit is a minute).
        Assert.Equal(1, service.Output.Split('\n').Count(l => l.Contains(SinkFailed, StringComparison.Ordinal)));
        return line;
    }
}
