using System.IO.Pipes;
using System.Text;
using WakeWord.Client.Protocol;
using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.EndToEnd.Tests.Pipe;

namespace WakeWord.EndToEnd.Tests.Service;

/// <summary>
/// Faults against the published service that the other suites do not already cover (docs/performance.md lists the
/// whole matrix and where each row is tested): signals under load, a connection flood, input cut mid-chunk, model files
/// broken while running. Each asserts the service stays up, or exits with the documented code, and logs what happened.
/// </summary>
public sealed class FaultMatrixTests : IDisposable
{
    private const string WakeLine = WakeLogLine.Computer;
    private readonly ServiceScratch _scratch = new();

    private string SocketPath => Path.Combine(_scratch.Folder, "ev.sock");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Sighup_rereads_the_settings_and_the_service_keeps_detecting()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin")));
        await service.WaitForLineAsync("Serving wake events on");

        service.Signal("HUP");
        if (SighupIgnoredHere())
        {
            // Started under nohup (SIGHUP ignored, which children inherit): the service keeps that choice and goes on.
            await service.StandardInput.WriteAsync(new byte[3200]);
            await ServiceStatusProbe.WaitForAudioAsync(SocketPath, 0.1);
            Assert.DoesNotContain("SIGHUP", service.Output, StringComparison.Ordinal);
        }
        else
        {
            await service.WaitForLineAsync("SIGHUP: reading the settings files again");
        }

        await service.StandardInput.WriteAsync(WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")));
        await service.StandardInput.FlushAsync();
        await service.WaitForLineAsync(WakeLine);
        Assert.False(service.HasExited, service.Output);
        service.Signal("TERM");
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_stop_signal_under_full_load_exits_0_within_5_s_and_the_last_events_reach_the_client(string signal)
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin", "--Audio:RealTime=false")));
        await service.WaitForLineAsync("Serving wake events on");
        await using var subscriber = new ReadingSubscriber(SocketPath);
        await subscriber.Client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));

        // As fast as the service takes it: a keyword every 4 s of audio, hundreds of times real time.
        byte[] pcm = WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav"));
        using var stop = new CancellationTokenSource();
        var feeding = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await service.StandardInput.WriteAsync(pcm, stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Stopped, or the service closed its stdin on exit.
            }
        });
        await service.WaitForLineAsync(WakeLine, skip: 20);

        DateTime signalled = DateTime.UtcNow;
        service.Signal(signal);
        int code = await service.WaitForExitAsync(TimeSpan.FromSeconds(5));
        TimeSpan took = DateTime.UtcNow - signalled;
        await stop.CancelAsync();
        await feeding;

        Assert.True(code == 0, service.Output);
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
        int logged = WakeLogLine.CountIn(service.Output);
        await Eventually.WaitUntilAsync(() => subscriber.Received.Count >= logged || subscriber.Client.State != Client.ConnectionState.Connected,
            TimeSpan.FromSeconds(10), () => $"the client got {subscriber.Received.Count} of {logged} wakes");
        long[] received = [.. subscriber.Received.Select(r => r.Wake.Sequence)];
        Assert.True(received.SequenceEqual(Enumerable.Range(1, logged).Select(i => (long)i)),
            $"logged {logged} wakes; the client got {received.Length}: {string.Join(",", received.TakeLast(5))}");
    }

    [Fact]
    public async Task A_thousand_connections_at_once_are_refused_cleanly_beyond_the_limit_and_the_others_are_served()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin", "--Events:MaxClients=64")));
        await service.WaitForLineAsync("Serving wake events on");
        await using var subscriber = new ReadingSubscriber(SocketPath);
        await subscriber.Client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));

        NamedPipeClientStream[] flood = [.. Enumerable.Range(0, 1000).Select(_ =>
            new NamedPipeClientStream(".", SocketPath, PipeDirection.InOut, PipeOptions.Asynchronous))];
        try
        {
            await Task.WhenAll(flood.Select(f => f.ConnectAsync(30_000)));
            string[] firstLines = await Task.WhenAll(flood.Select(FirstLineAsync));
            int hellos = firstLines.Count(l => l.Contains("\"type\":\"hello\"", StringComparison.Ordinal));
            int refused = firstLines.Count(l => l.Contains(ErrorCodes.TooManyClients, StringComparison.Ordinal));
            Assert.Equal(63, hellos); // 64 less the subscriber already connected
            Assert.Equal(937, refused);

            // The connected ones are served: a wake reaches the subscriber and the flood's accepted connections.
            await service.StandardInput.WriteAsync(WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")));
            await service.StandardInput.FlushAsync();
            await service.WaitForLineAsync(WakeLine);
            await Eventually.WaitUntilAsync(() => subscriber.Received.Count > 0, TimeSpan.FromSeconds(30), () => service.Output);
            Assert.Equal("computer", subscriber.Received[0].Wake.Word);
        }
        finally
        {
            foreach (NamedPipeClientStream f in flood)
            {
                await f.DisposeAsync();
            }
        }

        // Refusals are logged at most once per 10 s, with the count held back, not 937 lines.
        int refusalLines = service.Output.Split('\n').Count(l => l.Contains("Refused an event client", StringComparison.Ordinal));
        Assert.InRange(refusalLines, 1, 3);
        Assert.False(service.HasExited, service.Output);

        // Once the flood has gone, a new client gets in.
        await using var late = new ReadingSubscriber(SocketPath);
        await late.Client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(late.Client.Hello);
    }

    [Fact]
    public async Task Stdin_closed_in_the_middle_of_a_chunk_scores_every_sample_given_and_exits_0()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        byte[] pcm = WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")).AsSpan(0, 49_600).ToArray(); // 1.55 s: 15.5 chunks

        ProcessResult result = await apps.RunServiceAsync(null, pcm, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Audio:Source=stdin", "--Audio:ExitAtEnd=true")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("End of input from stdin after 1.55 s of audio", result.Stdout);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("garbage")]
    [InlineData("another_rate")]
    public async Task A_model_file_broken_while_running_is_refused_by_name_and_the_running_model_keeps_detecting(string fault)
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        string model = _scratch.CopyOfTinyModel();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(
            ServiceScratch.ModelAt(model, "--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin")));
        await service.WaitForLineAsync("Serving wake events on");

        byte[] bytes = await File.ReadAllBytesAsync(model);
        switch (fault)
        {
            case "deleted":
                File.Delete(model);
                break;
            case "truncated":
                await File.WriteAllBytesAsync(model, bytes.AsSpan(0, bytes.Length / 2).ToArray());
                break;
            case "garbage":
                await File.WriteAllBytesAsync(model, [.. Enumerable.Range(0, bytes.Length).Select(i => (byte)(i * 7919 % 251))]);
                break;
            case "another_rate":
                // A working model that wants 8 kHz audio: the stream runs at 16 kHz, so only a restart may switch.
                string eightKilohertz = WakeWord.Onnx.Tests.TestSupport.OnnxMetadataEditor.WriteEdited(model, m =>
                {
                    m["feature.sample_rate"] = "8000";
                    m["feature.fmax_hz"] = "3800";
                });
                File.Copy(eightKilohertz, model, overwrite: true);
                Directory.Delete(Path.GetDirectoryName(eightKilohertz)!, recursive: true);
                break;
            default:
                await File.WriteAllBytesAsync(model, []);
                break;
        }

        string refused = await service.WaitForLineAsync("Models not reloaded");
        Assert.Contains("wake.onnx", refused, StringComparison.Ordinal);
        if (fault == "another_rate")
        {
            Assert.Contains("needs audio at 8000 Hz, but the audio source runs at 16000 Hz; restart the service", refused, StringComparison.Ordinal);
        }

        Assert.Contains("still listening for \"computer\" (wake)", refused, StringComparison.Ordinal);

        await service.StandardInput.WriteAsync(WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")));
        await service.StandardInput.FlushAsync();
        await service.WaitForLineAsync(WakeLine);
        Assert.False(service.HasExited, service.Output);
    }

    // Bit 0 of SigIgn in /proc/self/status is SIGHUP (signal 1).
    private static bool SighupIgnoredHere()
    {
        string mask = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))[7..].Trim();
        return (Convert.ToUInt64(mask, 16) & 1) != 0;
    }

    private static async Task<string> FirstLineAsync(NamedPipeClientStream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, false, 1024, leaveOpen: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await reader.ReadLineAsync(timeout.Token) ?? "(closed without a line)";
    }
}
