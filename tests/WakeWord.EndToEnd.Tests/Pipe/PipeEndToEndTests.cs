using System.Diagnostics;
using WakeWord.Client;
using WakeWord.Client.Protocol;
using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.EndToEnd.Tests.Service;
using Xunit.Abstractions;

namespace WakeWord.EndToEnd.Tests.Pipe;

/// <summary>
/// The published service on a stdin source with real subscribers on its event pipe: what the pipe promises a subscriber
/// (docs/protocol.md), checked on the binaries a user runs.
/// </summary>
public sealed class PipeEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string WakeLine = WakeLogLine.Computer;
    // Not a latency figure (those come from benchmarks): a reader held behind the stuck client would wait for its write
    // timeout (10 s) or for ever, while a loaded machine delays a wake by scheduling alone (760 ms once, with two CPU hogs
    // beside the suite, against a 200 ms bound this test had before).
    private static readonly TimeSpan MaxDelivery = TimeSpan.FromSeconds(2);
    private readonly ServiceScratch _scratch = new();

    private string SocketPath => Path.Combine(_scratch.Folder, "ev.sock");

    public void Dispose() => _scratch.Dispose();

    [RequiresShippedModelFact]
    public async Task Two_readers_each_get_exactly_one_wake_at_once_while_a_third_client_is_stuck()
    {
        // The shipped model with its own settings; the recording has one "computer" in it.
        (List<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)>[]? wakes, List<string>? logLines) = await RunThreeClientsAsync([], "computer_real_1.wav");
        Assert.Single(logLines);
        foreach (List<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)> reader in wakes)
        {
            (WakeEventMessage? wake, DateTimeOffset _) = Assert.Single(reader);
            Assert.Equal("computer", wake.Word);
        }
    }

    [Fact]
    public async Task Plumbing_on_the_tiny_model_every_reader_gets_every_logged_wake_at_once()
    {
        // tiny.onnx is no detector, but at 0.3 it fires on this file: enough to check the path from audio to subscribers.
        (List<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)>[]? wakes, List<string>? logLines) = await RunThreeClientsAsync(ServiceScratch.TinyModel("--Models:Active:0:Threshold=0.3"), "computer_real_1.wav");
        Assert.NotEmpty(logLines);
        foreach (List<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)> reader in wakes)
        {
            Assert.Equal(logLines.Count, reader.Count);
        }

        Assert.Equal(wakes[0].Select(w => w.Wake.Sequence), wakes[1].Select(w => w.Wake.Sequence));
    }

    [Fact]
    public async Task Client_library_reconnects_after_a_service_restart_and_gets_the_next_event()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string[] arguments = _scratch.Arguments(ServiceScratch.TinyModel("--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin"));
        await using var subscriber = new ReadingSubscriber(SocketPath);

        ServiceProcess first = apps.StartService(null, arguments);
        await subscriber.Client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await first.DisposeAsync(); // killed, as a crash or `systemctl restart` would

        await using ServiceProcess second = apps.StartService(null, arguments);
        await Eventually.WaitUntilAsync(() => subscriber.Client.ConnectionCount == 2 && subscriber.Client.State == ConnectionState.Connected,
            TimeSpan.FromSeconds(60), () => second.Output);

        await second.StandardInput.WriteAsync(WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")));
        await second.StandardInput.FlushAsync();
        await second.WaitForLineAsync(WakeLine);
        await Eventually.WaitUntilAsync(() => subscriber.Received.Count > 0, TimeSpan.FromSeconds(10), () => second.Output);
        Assert.Equal(1, subscriber.Received[0].Wake.Sequence); // the new service's first event
    }

    [Fact]
    public async Task Listen_command_prints_the_wake_and_runs_exec_with_the_event_in_the_environment()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(
            ServiceScratch.TinyModel("--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin")));
        await service.WaitForLineAsync("Serving wake events on");

        string marker = Path.Combine(_scratch.Folder, "exec.txt");
        using ListenProcess json = await StartListenAsync(apps, "--json", "--count", "1",
            "--exec", $"echo \"$WAKEWORD_WORD $WAKEWORD_SCORE $WAKEWORD_SEQUENCE $WAKEWORD_TIME\" > '{marker}'");
        using ListenProcess text = await StartListenAsync(apps, "--count", "1");

        await service.StandardInput.WriteAsync(WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")));
        await service.StandardInput.FlushAsync();

        // Status lines (the source's "listening") may come first; then exactly the one wake (--count 1).
        string[] jsonLines = (await json.FinishAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(jsonLines[..^1], l => Assert.StartsWith("{\"type\":\"status\"", l));
        Assert.StartsWith("{\"type\":\"wake\",\"sequence\":1,\"word\":\"computer\",\"model_id\":\"tiny\"", jsonLines[^1]);
        string[] textLines = (await text.FinishAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(textLines[..^1], l => Assert.Contains(" status ", l));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z wake computer score 0\.\d{3} threshold 0\.300 offset \d+\.\d\d s model tiny #1$",
            textLines[^1]);

        string[] exec = File.ReadAllText(marker).Trim().Split(' ');
        Assert.Equal("computer", exec[0]);
        Assert.InRange(float.Parse(exec[1], System.Globalization.CultureInfo.InvariantCulture), 0.3f, 1f);
        Assert.Equal("1", exec[2]);
        Assert.EndsWith("Z", exec[3]);
    }

    [Fact]
    public async Task Listen_command_rejects_a_bad_count()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        ProcessResult result = await apps.RunCliAsync("listen", "--pipe", SocketPath, "--count", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("wakeword: --count takes a whole number of events from 1 to 1000000; got '0'", result.Stderr.Trim());
    }

    /// <summary>Starts `wakeword listen` and returns once it says on stderr that it is connected.</summary>
    private async Task<ListenProcess> StartListenAsync(PublishedApps apps, params string[] arguments)
    {
        Process process = Process.Start(ProcessRunner.StartInfo(ProcessRunner.DotnetHost, [apps.CliDll, "listen", "--pipe", SocketPath, .. arguments]))!;
        var listen = new ListenProcess(process);
        using var connected = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? notice;
        do
        {
            notice = await process.StandardError.ReadLineAsync(connected.Token);
            Assert.NotNull(notice);
        }
        while (!notice.Contains("listening on", StringComparison.Ordinal));

        return listen;
    }

    /// <summary>
    /// Starts the service on stdin, connects two reading subscribers and one stuck one, waits until the stuck one
    /// blocks the service's writes to it, plays the WAV and returns each reader's wake events and the service's wake
    /// log lines. Asserts every wake arrived within <see cref="MaxDelivery"/> of the moment the service raised it.
    /// </summary>
    private async Task<(List<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)>[] Wakes, List<string> LogLines)> RunThreeClientsAsync(
        string[] modelSettings, string wav)
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(
            [.. modelSettings, "--Audio:Source=stdin", "--Events:WriteTimeoutSeconds=120"]));
        await using var a = new ReadingSubscriber(SocketPath);
        await using var b = new ReadingSubscriber(SocketPath);
        await a.Client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await b.Client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await using StuckPipeClient stuck = await StuckPipeClient.ConnectAsync(SocketPath);
        await stuck.WaitUntilBlockedAsync(TimeSpan.FromSeconds(30));

        // Half a second of silence first (the model's context), then the recording, then silence to let it fire.
        byte[] silence = new byte[16000];
        await service.StandardInput.WriteAsync(silence);
        await service.StandardInput.WriteAsync(WavData.PcmBytes(RepoPaths.Audio(wav)));
        await service.StandardInput.WriteAsync(new byte[32000]);
        await service.StandardInput.FlushAsync();

        // Every event is raised while its audio is scored: once all the audio is (status), the service's count is final,
        // and the log has every line once its output has caught up.
        await service.WaitForLineAsync(WakeLine, TimeSpan.FromSeconds(60));
        double written = (silence.Length + WavData.PcmBytes(RepoPaths.Audio(wav)).Length + 32000) / 32000.0;
        ServiceStatusMessage status = await ServiceStatusProbe.WaitForAudioAsync(SocketPath, written, context: () => service.Output);
        long raised = status.Events.GetValueOrDefault("computer");
        await Eventually.WaitUntilAsync(() => WakeLogLine.CountIn(service.Output) >= raised, TimeSpan.FromSeconds(10), () => service.Output);
        List<string> logLines = [.. service.Output.Split('\n').Where(l => l.Contains(WakeLine, StringComparison.Ordinal))];
        Assert.Equal(raised, logLines.Count);
        await Eventually.WaitUntilAsync(() => a.Received.Count >= logLines.Count && b.Received.Count >= logLines.Count,
            TimeSpan.FromSeconds(10), () => service.Output);

        List<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)>[] wakes = new[] { a.Received.ToList(), b.Received.ToList() };
        foreach (List<(WakeEventMessage Wake, DateTimeOffset ReceivedUtc)>? reader in wakes)
        {
            foreach ((WakeEventMessage? wake, DateTimeOffset receivedUtc) in reader)
            {
                TimeSpan delay = receivedUtc - wake.Time;
                output.WriteLine($"wake #{wake.Sequence}: raised {wake.Time:HH:mm:ss.fff}, received after {delay.TotalMilliseconds:0.0} ms");
                Assert.True(delay <= MaxDelivery, $"wake #{wake.Sequence} reached a reader {delay.TotalMilliseconds:0} ms after the service raised it");
            }
        }

        Assert.False(service.HasExited, service.Output);
        return (wakes, logLines);
    }
}
