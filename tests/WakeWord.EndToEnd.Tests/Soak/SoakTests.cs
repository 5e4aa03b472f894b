using System.Diagnostics;
using System.Globalization;
using WakeWord.Client.Protocol;
using WakeWord.EndToEnd.Tests.Infrastructure;
using WakeWord.EndToEnd.Tests.Pipe;
using WakeWord.EndToEnd.Tests.Service;
using Xunit.Abstractions;

namespace WakeWord.EndToEnd.Tests.Soak;

/// <summary>
/// The accelerated soak: hours of audio with planted keywords pushed through the published service on stdin as fast as
/// it takes them, with three subscribers (one normal, one slow, one that keeps reconnecting). In CI 1.5 hours of audio;
/// the long run is the same test with WAKEWORD_SOAK_HOURS=24 (CI: 1.5 h, half an hour of warm-up and an hour measured) (and WAKEWORD_SOAK_SEED for another stream):
/// <c>WAKEWORD_SOAK_HOURS=24 dotnet test tests/WakeWord.EndToEnd.Tests --filter FullyQualifiedName~SoakTests</c>.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output) : IDisposable
{
    // The bounds the steady state must stay within, from the end of warm-up to the end of the stream.
    // The resident set still settles for hours after start (24 h run: +2.5 MB between audio hours 2.4 and 18, then flat;
    // clean-clone CI runs: +2.2 to +6.7 MB in the hour after a 30-minute warm-up, faster at higher speed). A leak of
    // even 350 bytes per 100 ms chunk would pass 12 MB within the measured hour.
    private const long ResidentGrowthBound = 12 * 1024 * 1024;
    // The thread pool adds a worker or two while the machine is loaded and retires them when idle (24 h run: +3).
    private const int ThreadGrowthBound = 4;

    // Compared at the end, after the reconnecting client has gone: the same two clients connected as at warm-up. A
    // clean-clone CI run kept +2 for 10 s (not yet explained); a leak per connection would show +20 an hour here.
    private const int HandleGrowthBound = 4;

    // The audio path allocates nothing (pinned by the zero-allocation tests); what the service allocates in the steady
    // state is the clients' doing: each event written to three clients, each reconnect (about 20 an hour here), heartbeats.
    private const long AllocatedPerHourBound = 2 * 1024 * 1024;

    // The shipped model at its own threshold on this material: 0 false accepts in the 24 h run (docs/performance.md)
    // and every planted keyword found; the bounds leave room for a varied seed, not for a broken pipeline.
    private const double MaxFalseAcceptsPerHour = 0.5;
    private const double MinRecall = 0.95;

    private readonly ServiceScratch _scratch = new();

    private string SocketPath => Path.Combine(_scratch.Folder, "ev.sock");

    public void Dispose() => _scratch.Dispose();

    [RequiresShippedModelFact]
    public async Task An_hour_of_audio_every_event_reaches_every_client_exactly_once_and_resources_stay_flat()
    {
        double hours = double.Parse(Environment.GetEnvironmentVariable("WAKEWORD_SOAK_HOURS") ?? "1.5", CultureInfo.InvariantCulture);
        int seed = int.Parse(Environment.GetEnvironmentVariable("WAKEWORD_SOAK_SEED") ?? "1", CultureInfo.InvariantCulture);
        var stream = new SoakStream(hours, seed);
        var generous = TimeSpan.FromMinutes(5 + (hours * 10));

        PublishedApps apps = await PublishedApps.GetAsync();
        var wall = Stopwatch.StartNew();
        await using ServiceProcess service = apps.StartService(null, _scratch.Arguments("--Audio:Source=stdin", "--Audio:RealTime=false"));
        await service.WaitForLineAsync("Serving wake events on");

        await using var normal = new ReadingSubscriber(SocketPath);
        await normal.Client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await using SlowLineReader slow = await SlowLineReader.ConnectAsync(SocketPath, TimeSpan.FromMilliseconds(20));
        await using var reconnecting = new ReconnectingSubscriber(SocketPath, () => stream.WrittenS, seed);

        // Warm-up: the first tenth of the stream, at least 30 minutes of audio (the resident set settles over the first
        // half hour: tiered JIT, the native heap's first growth); then the steady state, an hour or more, is sampled.
        double warmUpS = Math.Max(1800, hours * 360);
        var feeding = Task.Run(async () =>
        {
            while (stream.Next() is { } pcm)
            {
                await service.StandardInput.WriteAsync(pcm);
            }

            await service.StandardInput.FlushAsync();
        });
        ServiceStatusMessage warm = await ServiceStatusProbe.WaitForAudioAsync(SocketPath, warmUpS, generous, () => service.Output);
        var samples = new List<(double AudioS, long Resident, int Threads, int Handles)>();
        long residentAtWarmUp = service.ResidentBytes();
        int threadsAtWarmUp = service.ThreadCount(), handlesAtWarmUp = service.OpenFileCount();
        while (!feeding.IsCompleted)
        {
            samples.Add((stream.WrittenS, service.ResidentBytes(), service.ThreadCount(), service.OpenFileCount()));
            await Task.WhenAny(feeding, Task.Delay(250)); // a sample every quarter second of wall time while audio flows
        }

        await feeding;
        ServiceStatusMessage end = await ServiceStatusProbe.WaitForAudioAsync(SocketPath, stream.WrittenS, generous, () => service.Output);
        long raised = end.Events.GetValueOrDefault("computer");
        await Eventually.WaitUntilAsync(() => normal.Received.Count >= raised && slow.Received.Count >= raised, generous,
            () => $"normal {normal.Received.Count}, slow {slow.Received.Count} of {raised}");
        double feedWallS = wall.Elapsed.TotalSeconds;
        await reconnecting.DisposeAsync();

        // The service closes the reconnecting client's last socket on its own time: wait for that, with a deadline.
        await Eventually.WaitUntilAsync(() => service.OpenFileCount() <= handlesAtWarmUp + HandleGrowthBound, TimeSpan.FromSeconds(10),
            () => $"{service.OpenFileCount()} handles against {handlesAtWarmUp} after warm-up");
        samples.Add((stream.WrittenS, service.ResidentBytes(), service.ThreadCount(), service.OpenFileCount()));

        // Delivery: the normal and the slow client each got every raised event once, in order (sequence 1..N).
        long[] expected = [.. Enumerable.Range(1, (int)raised).Select(i => (long)i)];
        WakeEventMessage[] reference = [.. normal.Received.Select(r => r.Wake)];
        Assert.Equal(expected, reference.Select(w => w.Sequence));
        Assert.Equal(expected, slow.Received.Select(w => w.Sequence));
        Assert.Equal(reference.Select(w => w.AudioOffsetS), slow.Received.Select(w => w.AudioOffsetS));
        Assert.Equal(1, normal.Client.ConnectionCount);

        // The reconnecting client: within each connection every event once and no gap; across connections no event
        // twice; what it missed is exactly the gaps between its connections, which the sequence numbers show.
        IReadOnlyList<IReadOnlyList<WakeEventMessage>> connections = reconnecting.Connections;
        var seen = new HashSet<long>();
        foreach (IReadOnlyList<WakeEventMessage> connection in connections)
        {
            for (int i = 1; i < connection.Count; i++)
            {
                Assert.Equal(connection[i - 1].Sequence + 1, connection[i].Sequence);
            }

            foreach (WakeEventMessage wake in connection)
            {
                Assert.True(seen.Add(wake.Sequence), $"event {wake.Sequence} arrived twice at the reconnecting client");
                Assert.Equal(reference[wake.Sequence - 1].AudioOffsetS, wake.AudioOffsetS);
            }
        }

        // Detection: each planted keyword at most once; false accepts and recall within the model's measured figures.
        int[] keywordOf = [.. reference.Select(w => stream.KeywordAt(w.AudioOffsetS))];
        int falseAccepts = keywordOf.Count(k => k < 0);
        int found = keywordOf.Where(k => k >= 0).Distinct().Count();
        Assert.Equal(keywordOf.Count(k => k >= 0), found);
        double audioHours = stream.WrittenS / 3600;
        double recall = found / (double)stream.KeywordStartsS.Count;

        // Resources after warm-up.
        long residentMax = samples.Max(s => s.Resident);
        int threadsMax = samples.Max(s => s.Threads), handlesMax = samples.Max(s => s.Handles);
        ProcessStatus warmProcess = warm.Process!, endProcess = end.Process!;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"""
            soak: {audioHours:0.00} h of audio (seed {seed}) in {feedWallS:0.0} s of wall time ({audioHours * 3600 / feedWallS:0}x real time)
            events: {raised} raised, {found} of {stream.KeywordStartsS.Count} planted keywords found (recall {recall:0.000}), {falseAccepts} false accepts ({falseAccepts / audioHours:0.00}/h)
            clients: normal {reference.Length}, slow {slow.Received.Count}, reconnecting {seen.Count} over {connections.Count} connections (missed {raised - seen.Count}, told by the sequence gaps)
            resident: {residentAtWarmUp / 1048576.0:0.0} MB after warm-up ({warmUpS / 60:0} min of audio), at most {residentMax / 1048576.0:0.0} MB after it ({samples.Count} samples; bound +{ResidentGrowthBound / 1048576} MB)
            threads: {threadsAtWarmUp} -> at most {threadsMax} (bound +{ThreadGrowthBound}); handles: {handlesAtWarmUp} -> at most {handlesMax}, {samples[^1].Handles} at the end (bound +{HandleGrowthBound})
            resident over the stream (MB at audio minute): {string.Join(", ", samples.Where((_, i) => i % Math.Max(1, samples.Count / 12) == 0 || i == samples.Count - 1).Select(s => $"{s.Resident / 1048576.0:0.0}@{s.AudioS / 60:0}"))}
            managed heap: {warmProcess.ManagedHeapBytes / 1048576.0:0.0} -> {endProcess.ManagedHeapBytes / 1048576.0:0.0} MB; allocated after warm-up: {(endProcess.AllocatedBytes - warmProcess.AllocatedBytes) / 1024.0:0} KiB; GCs after warm-up (gen 0/1/2): {string.Join('/', endProcess.GcCollections.Zip(warmProcess.GcCollections, (a, b) => a - b))}
            """));

        Assert.InRange(falseAccepts, 0, (int)Math.Floor(MaxFalseAcceptsPerHour * audioHours));
        Assert.InRange(recall, MinRecall, 1.0);
        Assert.InRange(residentMax - residentAtWarmUp, long.MinValue, ResidentGrowthBound);
        Assert.InRange(threadsMax - threadsAtWarmUp, int.MinValue, ThreadGrowthBound);
        Assert.InRange(samples[^1].Handles - handlesAtWarmUp, int.MinValue, HandleGrowthBound);
        Assert.InRange(endProcess.AllocatedBytes - warmProcess.AllocatedBytes, 0, (long)(AllocatedPerHourBound * Math.Max(1, audioHours)));
        Assert.Equal(warmProcess.GcCollections[2], endProcess.GcCollections[2]); // no full collection in the steady state
        Assert.False(service.HasExited, service.Output);
    }
}
