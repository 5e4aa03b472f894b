using System.Text;
using WakeWord.Client.Protocol;
using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.EndToEnd.Tests.Service;

namespace WakeWord.EndToEnd.Tests.Cli;

/// <summary>`wakeword status` against the published service, and without one.</summary>
public sealed class StatusCommandTests : IDisposable
{
    private readonly ServiceScratch _scratch = new();

    private string SocketPath => Path.Combine(_scratch.Folder, "ev.sock");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Status_reports_the_source_the_model_the_audio_and_the_events_of_the_running_service()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(
            ServiceScratch.TinyModel("--Models:Active:0:Threshold=0.3", "--Audio:Source=stdin")));
        await service.WaitForLineAsync("Serving wake events on");

        byte[] pcm = WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav"));
        double seconds = pcm.Length / 2.0 / 16000;
        await service.StandardInput.WriteAsync(pcm);
        await service.StandardInput.FlushAsync();
        await service.WaitForLineAsync(WakeLogLine.Computer);

        // The whole file scored (the last partial chunk may wait for more input) and every logged wake counted.
        ServiceStatusMessage? status = null;
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (status is null || status.AudioProcessedS < seconds - 0.5 ||
               status.Events.GetValueOrDefault("computer") != WakeLogLine.CountIn(service.Output))
        {
            Assert.True(DateTime.UtcNow < deadline, $"status never caught up: {Describe(status)}\n{service.Output}");
            status = await StatusJsonAsync(apps);
        }

        Assert.Equal(("listening", true, "listening on stdin"), (status.Source.State, status.Source.Listening, status.Source.Message));
        ModelStatus model = Assert.Single(status.Models);
        Assert.Equal(("tiny", "computer", 0.3f, RepoPaths.TinyModel), (model.Id, model.Word, model.Threshold, model.File));
        Assert.InRange(status.AudioProcessedS, seconds - 0.5, seconds + 0.01);
        Assert.Equal("computer", status.LastEvent!.Word);
        Assert.InRange(status.LastEvent.Score, 0.3f, 1f);
        Assert.Equal(1, status.Clients); // the status command's own connection
        Assert.InRange(status.UptimeS, 0.1, 600);
        Assert.Equal(status.Started + TimeSpan.FromSeconds(status.UptimeS), status.Time, TimeSpan.FromMilliseconds(1));
        ProcessStatus process = status.Process!;
        Assert.Equal(service.ResidentBytes(), process.ResidentBytes, 20_000_000.0); // the same process, read a moment apart
        Assert.InRange(process.ManagedHeapBytes, 100_000, process.ResidentBytes);
        Assert.InRange(process.AllocatedBytes, process.ManagedHeapBytes / 2, long.MaxValue);
        Assert.Equal(3, process.GcCollections.Count);
        Assert.InRange(process.Threads, 2, 200);
        Assert.InRange(process.Handles, 3, 10_000);

        ProcessResult text = await apps.RunCliAsync("status", "--pipe", SocketPath);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"wake-word service {status.ServiceVersion} on {SocketPath}", text.Stdout);
        Assert.Contains("  source:  listening: listening on stdin (since ", text.Stdout);
        Assert.Contains($"    tiny (\"computer\"): threshold 0.3, 1 step(s), refractory ", text.Stdout);
        Assert.Matches(@"  events:  \d+ \(computer \d+\)", text.Stdout);
        Assert.Contains("  clients: 1 (this one included)", text.Stdout);
        Assert.Matches(@"  process: \d+\.\d MB resident, managed heap \d+\.\d MB, GCs \d+/\d+/\d+ \(gen 0/1/2\), \d+ threads, \d+ handles", text.Stdout);
    }

    [Fact]
    public async Task After_the_end_of_its_input_the_service_says_ended_not_listening()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin")));
        await service.WaitForLineAsync("Serving wake events on");
        await service.StandardInput.WriteAsync(new byte[16000 * 2]);
        service.StandardInput.Close(); // one second of silence, then the end (the service stays up: Audio:ExitAtEnd is false)
        await service.WaitForLineAsync("End of input from stdin");

        ServiceStatusMessage status = await StatusJsonAsync(apps);
        ProcessResult text = await apps.RunCliAsync("status", "--pipe", SocketPath);

        Assert.Equal(("ended", false), (status.Source.State, status.Source.Listening));
        Assert.StartsWith("end of input from stdin after 1.00 s of audio", status.Source.Message, StringComparison.Ordinal);
        Assert.Contains("  source:  ended, NOT listening: end of input from stdin", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_service_status_says_so_and_exits_5()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        ProcessResult result = await apps.RunCliAsync("status", "--pipe", SocketPath);
        Assert.Equal(5, result.ExitCode);
        Assert.Equal($"wakeword: no wake-word service is running: no socket at {SocketPath}. Start the service (systemctl start " +
            "wakeword) or give its Events:PipeName with --pipe.", result.Stderr.Trim());
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_socket_file_nobody_serves_is_reported_after_the_timeout_with_exit_5()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await File.WriteAllTextAsync(SocketPath, ""); // what a crash can leave behind
        ProcessResult result = await apps.RunCliAsync("status", "--pipe", SocketPath, "--timeout", "1");
        Assert.Equal(5, result.ExitCode);
        Assert.Equal($"wakeword: no answer from the wake-word service at {SocketPath} within 1 s: nothing answers on the socket " +
            "(a stale file left by a crash?).", result.Stderr.Trim());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("4000")]
    public async Task A_bad_timeout_is_a_usage_error(string timeout)
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        ProcessResult result = await apps.RunCliAsync("status", "--pipe", SocketPath, "--timeout", timeout);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("wakeword: --timeout takes a number of seconds above 0 up to 3600", result.Stderr, StringComparison.Ordinal);
    }

    private async Task<ServiceStatusMessage> StatusJsonAsync(PublishedApps apps)
    {
        ProcessResult result = await apps.RunCliAsync("status", "--pipe", SocketPath, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        string line = Assert.Single(result.StdoutLines);
        Assert.True(ProtocolCodec.TryDecodeServer(Encoding.UTF8.GetBytes(line), out ServerMessage? message, out ErrorMessage? error), error?.Message);
        return Assert.IsType<ServiceStatusMessage>(message);
    }

    private static string Describe(ServiceStatusMessage? s) => s is null ? "no answer yet"
        : $"audio {s.AudioProcessedS} s, events {string.Join(",", s.Events.Select(e => $"{e.Key}={e.Value}"))}";
}
