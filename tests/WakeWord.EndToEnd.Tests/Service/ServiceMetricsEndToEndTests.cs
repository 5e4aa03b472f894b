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
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments(ServiceScratch.TinyModel("--Audio:Source=stdin")));
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
    }
}
