using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Service;

/// <summary>
/// The published service under a Type=notify unit, with the test as systemd: NOTIFY_SOCKET names a datagram socket the
/// test owns (WATCHDOG_USEC as systemd sets it for WatchdogSec=). A hung audio loop (the sound server frozen) is in
/// CaptureEndToEndTests, which owns the PulseAudio daemon.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly ServiceScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ReadyComesOnceTheSourceIsOpenAndSigtermUnderFlowingAudioSendsStoppingAndExitsZeroWithin5Seconds()
    {
        using var systemd = new NotifySocketListener(Path.Combine(_scratch.Folder, "notify"));
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(
            // 3 s (pings every 1.5 s): a chunk held up a second by a loaded machine must not read as a hung loop here.
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Path, ["WATCHDOG_USEC"] = "3000000" },
            _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin")));

        (string ready, _) = await systemd.WaitForAsync(m => m.Contains("READY=1", StringComparison.Ordinal), Wait, "READY=1");
        Assert.Contains("STATUS=listening on stdin", ready, StringComparison.Ordinal);
        await service.WaitForLineAsync("Listening on stdin");
        Assert.Contains("Loaded model", service.Output, StringComparison.Ordinal);

        using var stopFeeding = new CancellationTokenSource();
        Task feeding = StdinFeeder.FeedAsync(service, RepoPaths.Audio("negatives_long.wav"), stopFeeding.Token);
        try
        {
            int pingsAtReady = Count(systemd, "WATCHDOG=1");
            await systemd.WaitForAsync(_ => Count(systemd, "WATCHDOG=1") >= pingsAtReady + 2, Wait, "two watchdog pings while audio flows");
            await service.WaitForLineAsync("systemd watchdog on");

            DateTime signalled = DateTime.UtcNow;
            service.Signal("TERM");
            (_, DateTime stoppingAt) = await systemd.WaitForAsync(m => m.StartsWith("STOPPING=1", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "STOPPING=1");
            int code = await service.WaitForExitAsync(TimeSpan.FromSeconds(5));

            Assert.True(code == 0, service.Output);
            Assert.True(stoppingAt - signalled < TimeSpan.FromSeconds(5));
            Assert.Equal(0, Count(systemd, "WATCHDOG=trigger"));
        }
        finally
        {
            await stopFeeding.CancelAsync();
            await feeding;
        }
    }

    [Fact]
    public async Task WithoutNotifySocketNothingIsSentAndTheServiceRunsAsBefore()
    {
        // WATCHDOG_USEC alone (inherited) must not make the service log a watchdog it cannot feed.
        PublishedApps apps = await PublishedApps.GetAsync();
        ProcessResult result = await apps.RunServiceAsync(
            new Dictionary<string, string> { ["WATCHDOG_USEC"] = "1000000" },
            WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")),
            _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin", "--Audio:ExitAtEnd=true")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("watchdog", result.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    private static int Count(NotifySocketListener systemd, string message) => systemd.Messages.Count(m => m.Message == message);
}
