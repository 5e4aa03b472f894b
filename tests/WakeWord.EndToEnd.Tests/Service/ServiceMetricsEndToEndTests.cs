using System.Text.Json;
using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Service;

/// <summary>
/// dotnet-counters (the repository's local tool, .config/dotnet-tools.json) reads the meter WakeWord from the published
/// service while audio flows: what an administrator sees with `dotnet-counters monitor -p PID --counters WakeWord`.
/// </summary>
public sealed class ServiceMetricsEndToEndTests : IDisposable
{
    private readonly ServiceScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task DotnetCountersReadsAudioProcessedChunkTimesAndSourceStateFromTheRunningService()
    {
        await LocalTools.RestoreAsync();

        PublishedApps apps = await PublishedApps.GetAsync();
        // dotnet-counters attaches through the diagnostics socket, which the tests' processes otherwise go without.
        var diagnostics = new Dictionary<string, string> { [ProcessRunner.DiagnosticsVariable] = "1" };
        await using ServiceProcess service = apps.StartService(diagnostics, _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin")));
        await service.WaitForLineAsync("Listening on stdin");
        using var stopFeeding = new CancellationTokenSource();
        Task feeding = StdinFeeder.FeedAsync(service, RepoPaths.Audio("negatives_long.wav"), stopFeeding.Token);
        string output = Path.Combine(_scratch.Folder, "counters.json");
        ProcessResult collect;
        try
        {
            collect = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost,
                ["tool", "run", "dotnet-counters", "--", "collect", "-p", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 "--counters", "WakeWord", "--format", "json", "-o", output, "--duration", "00:00:00:05"],
                timeout: TimeSpan.FromMinutes(2));
        }
        finally
        {
            await stopFeeding.CancelAsync();
            await feeding;
        }

        Assert.True(collect.ExitCode == 0 && File.Exists(output), collect.ToString());
        string json = await File.ReadAllTextAsync(output);
        using var document = JsonDocument.Parse(json);
        JsonElement[] events = [.. document.RootElement.GetProperty("Events").EnumerateArray()];
        double[] Values(string name) => [.. events.Where(e => e.GetProperty("name").GetString()!.StartsWith(name + " ", StringComparison.Ordinal)).Select(e => e.GetProperty("value").GetDouble())];

        Assert.Contains(Values("wakeword.audio.processed"), v => v > 0); // a rate: seconds of audio per second
        Assert.NotEmpty(Values("wakeword.chunk.duration"));
        Assert.Contains(1.0, Values("wakeword.source.listening"));
        Assert.Contains(0.0, Values("wakeword.pipe.clients")); // the pipe is served; nobody listens in this test

        // Stopped, not killed: with diagnostics on, a killed service leaves its debugger pipes and socket in TMPDIR.
        service.Signal("TERM");
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task ThePrometheusEndpointServesTheMeterOnLoopbackWhenConfigured()
    {
        int port = FreeTcpPort();
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel(
            "--Audio:Source=stdin", $"--Metrics:PrometheusUrl=http://127.0.0.1:{port}/")));
        await service.WaitForLineAsync("Listening on stdin");
        await service.StandardInput.WriteAsync(WavData.PcmBytes(RepoPaths.Audio("computer_real_1.wav")));
        await service.StandardInput.FlushAsync();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string text = "";
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(text.Contains("wakeword_audio_processed", StringComparison.Ordinal) && AudioSeconds(text) > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no audio seconds scraped in time; last scrape: {text}\n{service.Output}");
            try
            {
                text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            }
            catch (HttpRequestException)
            {
                // The listener opens as the host starts; ask again.
            }

            await Task.Delay(50);
        }

        Assert.Contains("# TYPE wakeword_chunk_duration", text, StringComparison.Ordinal);
        Assert.Contains("wakeword_source_listening", text, StringComparison.Ordinal);
        Assert.Contains("wakeword_pipe_clients", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAPrometheusUrlNoOpenTelemetryIsLoaded()
    {
        PublishedApps apps = await PublishedApps.GetAsync();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin")));
        await service.WaitForLineAsync("Listening on stdin");

        // The endpoint is off by default and must cost nothing: none of its assemblies is mapped into the process.
        string maps = await File.ReadAllTextAsync($"/proc/{service.Id}/maps");
        Assert.Contains("Serilog", maps, StringComparison.Ordinal); // loaded assemblies do show here
        Assert.DoesNotContain("OpenTelemetry", maps, StringComparison.Ordinal);
    }

    private static double AudioSeconds(string text)
    {
        string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith("wakeword_audio_processed", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
