using System.Net.Sockets;
using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.EndToEnd.Tests.Service;

namespace WakeWord.EndToEnd.Tests.Deploy;

/// <summary>
/// The shipped unit's hardening (deploy/linux/wakeword.service: PrivateNetwork=yes, AF_UNIX only, IPAddressDeny=any,
/// and the rest) under a real systemd, with the shipped Prometheus drop-in (deploy/linux/wakeword-prometheus.conf):
/// the test, on the host's network, must scrape the service's metrics from 127.0.0.1. Without the drop-in's
/// PrivateNetwork=no the listener sits on the service's own loopback, out of the host's reach.
/// </summary>
[Collection(CaptureEndToEndTests.Collection)]
public sealed class PrometheusUnderSystemdTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>Lines of the shipped [Service] section that belong to the installed layout (/opt/wakeword, the
    /// wakeword user, /etc/wakeword, /var/lib and /var/log/wakeword): the test replaces them with the published folder and
    /// root without capabilities. The private systemd shares the host's /var: StateDirectory= and LogsDirectory= made
    /// /var/lib/wakeword and /var/log/wakeword on the machine, which deploy/linux/ci-check.sh then took for an install.</summary>
    private static readonly string[] LayoutKeys =
    [
        "ExecStart", "ExecReload", "WorkingDirectory", "User", "Group", "SupplementaryGroups", "Environment",
        "StateDirectory", "StateDirectoryMode", "LogsDirectory", "LogsDirectoryMode",
    ];

    private readonly string _scratch = Directory.CreateTempSubdirectory("wakeword-prometheus-systemd-").FullName;

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

    [SystemdFact]
    public async Task The_hardened_unit_with_the_shipped_drop_in_serves_metrics_to_a_scrape_from_the_host()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        int port = FreeTcpPort();
        string output = Path.Combine(_scratch, "service.out");
        string dropIns = Directory.CreateDirectory(Path.Combine(_scratch, "units", PrivateSystemd.ServiceName + ".d")).FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "deploy", "linux", "wakeword-prometheus.conf"), Path.Combine(dropIns, "prometheus.conf"));
        using var systemd = PrivateSystemd.Boot(_scratch, HardenedUnit(apps, port, output));
        string Context() => $"{systemd.Status()}\n--- systemd:\n{systemd.Log}\n--- service:\n{(File.Exists(output) ? File.ReadAllText(output) : "(none)")}";

        await Eventually.WaitUntilAsync(() => systemd.Show("ActiveState") == "active", Wait, Context); // READY=1
        Assert.Equal("no", systemd.Show("PrivateNetwork")); // the drop-in is in force

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string text = "";
        await Eventually.WaitUntilAsync(() =>
        {
            try
            {
                text = http.GetStringAsync($"http://127.0.0.1:{port}/metrics").GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                text = ex.Message;
            }

            return text.Contains("wakeword_audio_processed", StringComparison.Ordinal);
        }, Wait, () => $"last scrape: {text}\n{Context()}");
        Assert.Contains("wakeword_source_listening", text, StringComparison.Ordinal);
        Assert.Equal("0", systemd.Show("NRestarts"));
        // The drop-in's allow list is in force, and the unit's IPAddressDeny=any stays.
        Assert.Equal(["127.0.0.0/8", "::1/128"], systemd.Show("IPAddressAllow").Split(' ').Order(StringComparer.Ordinal));
        Assert.Contains("0.0.0.0/0", systemd.Show("IPAddressDeny").Split(' '));
    }

    /// <summary>The shipped unit, every hardening line kept, around the published service reading a WAV at real-time pace.</summary>
    private string HardenedUnit(PublishedApps apps, int port, string output)
    {
        IEnumerable<string> service = File.ReadAllLines(Path.Combine(RepoPaths.Root, "deploy", "linux", "wakeword.service"))
            .SkipWhile(l => l.Trim() != "[Service]").Skip(1)
            .TakeWhile(l => !l.TrimStart().StartsWith('['))
            .Where(l => !l.TrimStart().StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Where(l => !LayoutKeys.Contains(l[..l.IndexOf('=', StringComparison.Ordinal)].Trim(), StringComparer.Ordinal));
        Assert.Contains("PrivateNetwork=yes", service);
        string[] command =
        [
            PrivateSystemd.Resolve(ProcessRunner.DotnetHost), apps.ServiceDll,
            $"--Events:PipeName={Path.Combine(_scratch, "ev.sock")}",
            $"--Serilog:WriteTo:1:Args:path={Path.Combine(_scratch, "logs", "wakeword-.log")}",
            "--Audio:Source=file", $"--Audio:FilePath={RepoPaths.Audio("computer_real_1.wav")}", "--Audio:RealTime=true",
            $"--Metrics:PrometheusUrl=http://127.0.0.1:{port}/",
            .. ServiceScratch.TinyModel(),
        ];
        return $"""
            [Unit]
            Description=WakeWord service under a private systemd, hardened as shipped
            DefaultDependencies=no

            [Service]
            {string.Join('\n', service)}
            ExecStart={string.Join(' ', command)}
            WorkingDirectory={apps.ServiceDirectory}
            Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1
            # PrivateTmp=yes hides the host's /tmp, where the test publishes the service and keeps its scratch folder.
            BindReadOnlyPaths={apps.ServiceDirectory}
            BindPaths={_scratch}
            StandardOutput=append:{output}
            StandardError=inherit
            LimitCORE=0

            """;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Skipped, with the reason, where this machine cannot boot a private systemd.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class SystemdFactAttribute : FactAttribute
    {
        public SystemdFactAttribute()
        {
            if (PrivateSystemd.WhyNot is string why)
            {
                Skip = why;
            }
        }
    }
}
