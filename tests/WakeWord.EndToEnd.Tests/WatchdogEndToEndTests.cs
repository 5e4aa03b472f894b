using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests;

/// <summary>
/// The service's systemd watchdog against a capture that hangs where no stall timeout can see it: a device read that
/// never returns although the device said it was ready (<see cref="WedgingMicrophone"/>, ALSA over a FIFO that stops
/// being fed). Every backend notices a silent device by itself now (a frozen sound server is a stall, reported and
/// recovered from, see <see cref="CaptureEndToEndTests"/>); what is left for the watchdog is a thread stuck for good.
/// In the capture collection: the real-systemd test is heavy, and the two share the machine badly.
/// </summary>
[Collection(CaptureEndToEndTests.Collection)]
public sealed class WatchdogEndToEndTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _scratch = Directory.CreateTempSubdirectory("wakeword-watchdog-e2e-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // Harmless leftover.
        }
    }

    [WedgeFact(underSystemd: false)]
    public async Task A_capture_read_that_never_returns_stops_the_watchdog_pings_and_asks_systemd_for_a_restart()
    {
        // The microphone said it is listening, so 5 s without audio is a hang: WATCHDOG=trigger. (Not 1 s: a sound
        // server may deliver in fragments of a second or more, and a loaded machine stalls longer.)
        using var microphone = new WedgingMicrophone(Path.Combine(_scratch, "microphone"));
        using var systemd = new NotifySocketListener(Path.Combine(_scratch, "notify"));
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = microphone.Home,
            ["NOTIFY_SOCKET"] = systemd.Path,
            ["WATCHDOG_USEC"] = "5000000",
        };
        microphone.Feed();
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(environment, ServiceArguments(Path.Combine(_scratch, "ev.sock")));
        await systemd.WaitForAsync(m => m.Contains("READY=1", StringComparison.Ordinal), Wait, "READY=1");
        await service.WaitForLineAsync("is listening", Wait);
        await ServiceStatusProbe.WaitForMoreAudioAsync(Path.Combine(_scratch, "ev.sock"), 0.3, Wait, () => service.Output);
        await systemd.WaitForAsync(m => m == "WATCHDOG=1", Wait, "a watchdog ping");
        Assert.False(systemd.Messages.Any(m => m.Message == "WATCHDOG=trigger"), service.Output);

        await microphone.WedgeAsync();

        await systemd.WaitForAsync(m => m == "WATCHDOG=trigger", Wait, "WATCHDOG=trigger");
        await service.WaitForLineAsync("The audio loop is hung", Wait);
        Assert.Contains("has delivered no audio", service.Output, StringComparison.Ordinal);
    }

    [WedgeFact(underSystemd: true)]
    public async Task Under_a_real_systemd_a_hung_audio_loop_gets_the_service_killed_and_restarted()
    {
        // The shipped unit's type, restart and watchdog policy, its watchdog shortened from 30 s to 5 s; systemd is real
        // (PID 1 of a private PID namespace). A wedged capture read: the service's audio loop sees no audio for 5 s and
        // asks for the restart (WATCHDOG=trigger); systemd must kill it at once, restart it, and the new one must hear
        // again. With systemd's default watchdog signal (SIGABRT, which the .NET runtime swallows once) the kill only
        // came when TimeoutStopSec= ran out: "State 'stop-watchdog' timed out".
        using var microphone = new WedgingMicrophone(Path.Combine(_scratch, "microphone"));
        PublishedApps apps = await PublishedApps.GetAsync();
        string output = Path.Combine(_scratch, "service.out");
        string socket = Path.Combine(_scratch, "ev.sock");
        microphone.Feed();
        using var systemd = PrivateSystemd.Boot(_scratch, ServiceUnitUnderTest(apps, microphone, socket, output));
        string Context() => $"{systemd.Status()}\n--- systemd:\n{systemd.Log}\n--- service:\n{ReadAll(output)}";

        await Eventually.WaitUntilAsync(() => systemd.Show("ActiveState") == "active", Wait, Context); // READY=1
        await ServiceStatusProbe.WaitForMoreAudioAsync(socket, 0.3, Wait, Context);
        string first = systemd.Show("MainPID");

        await microphone.WedgeAsync();
        await Eventually.WaitUntilAsync(() => systemd.Show("NRestarts") == "1", Wait, Context);
        microphone.Feed();

        await Eventually.WaitUntilAsync(() => systemd.Show("ActiveState") == "active" && systemd.Show("MainPID") is string pid && pid != first && pid != "0", Wait, Context);
        await ServiceStatusProbe.WaitForMoreAudioAsync(socket, 0.3, Wait, Context); // the new process hears again
        string log = systemd.Log;
        Assert.Contains("Watchdog request", log, StringComparison.Ordinal);
        Assert.Contains("Failed with result 'watchdog'", log, StringComparison.Ordinal);
        Assert.DoesNotContain("timed out", log, StringComparison.Ordinal);
        Assert.Contains("has delivered no audio", ReadAll(output), StringComparison.Ordinal);
        Assert.Equal("1", systemd.Show("NRestarts"));
    }

    private static string[] ServiceArguments(string socket) =>
    [
        $"--Events:PipeName={socket}",
        $"--Serilog:WriteTo:1:Args:path={Path.Combine(Path.GetDirectoryName(socket)!, "logs", "wakeword-.log")}",
        "--Audio:Source=microphone", "--Audio:Backend=alsa", $"--Audio:Device={WedgingMicrophone.DeviceName}", "--Audio:ChunkMilliseconds=20",
        "--Models:Active:0:Word=", $"--Models:Active:0:Path={RepoPaths.TinyModel}",
    ];

    /// <summary>The shipped unit's Type=, Restart=, RestartSec=, TimeoutStopSec= and WatchdogSignal= around the published
    /// service on the wedging microphone; no user, paths or hardening (deploy/linux/ci-check.sh checks those).</summary>
    private string ServiceUnitUnderTest(PublishedApps apps, WedgingMicrophone microphone, string socket, string output)
    {
        string[] shipped = File.ReadAllLines(Path.Combine(RepoPaths.Root, "deploy", "linux", "wakeword.service"));
        string Shipped(string key) =>
            shipped.Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"deploy/linux/wakeword.service has no {key}=");
        Assert.Equal("Type=notify", Shipped("Type"));
        Assert.StartsWith("WatchdogSec=", Shipped("WatchdogSec"), StringComparison.Ordinal);

        string[] command = [PrivateSystemd.Resolve(ProcessRunner.DotnetHost), apps.ServiceDll, .. ServiceArguments(socket)];
        return $"""
            [Unit]
            Description=WakeWord service under a private systemd
            DefaultDependencies=no

            [Service]
            {Shipped("Type")}
            {Shipped("Restart")}
            {Shipped("RestartSec")}
            {Shipped("TimeoutStopSec")}
            {Shipped("WatchdogSignal")}
            WatchdogSec=5
            ExecStart={string.Join(' ', command)}
            WorkingDirectory={apps.ServiceDirectory}
            Environment="HOME={microphone.Home}" "TMPDIR={_scratch}" DOTNET_CLI_TELEMETRY_OPTOUT=1 {ProcessRunner.DiagnosticsVariable}=0
            StandardOutput=append:{output}
            StandardError=inherit
            LimitCORE=0

            """;
    }

    private static string ReadAll(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no output yet)";

    /// <summary>Skipped, with the reason, where the wedging microphone cannot run or (if needed) no private systemd boots.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class WedgeFactAttribute : FactAttribute
    {
        public WedgeFactAttribute(bool underSystemd)
        {
            if (WedgingMicrophone.WhyNot is string why)
            {
                Skip = why;
            }
            else if (underSystemd && PrivateSystemd.WhyNot is string noSystemd)
            {
                Skip = noSystemd;
            }
        }
    }
}
