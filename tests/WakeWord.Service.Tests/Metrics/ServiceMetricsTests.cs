using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Service.Hub;
using WakeWord.Service.Metrics;

namespace WakeWord.Service.Tests.Metrics;

public sealed class ServiceMetricsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly WakeEventHub hub = new();
    private readonly MeterListener listener = new();
    private readonly Dictionary<string, double> sums = [];
    private readonly Dictionary<string, int> wakesByWord = [];
    private double lastDuration;
    private long chunkRecords;

    public ServiceMetricsTests()
    {
        IMeterFactory factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's meter: other tests create meters of the same name in parallel.
            if (instrument.Meter.Name == ServiceMetrics.MeterName && instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "wakeword.chunk.duration")
            {
                lastDuration = value;
                chunkRecords++;
            }
            else
            {
                sums[instrument.Name] = sums.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name != "wakeword.wake_events")
            {
                sums[instrument.Name] = value;
                return;
            }

            string word = (string)tags[0].Value!;
            wakesByWord[word] = wakesByWord.GetValueOrDefault(word) + (int)value;
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => sums[instrument.Name] = value);
        listener.Start();
    }

    public void Dispose()
    {
        listener.Dispose();
        hub.Dispose();
        services.Dispose();
    }

    [Fact]
    public void AudioSecondsChunkTimesWakesByWordAndSourceStateAreMeasured()
    {
        using var metrics = new ServiceMetrics(services.GetRequiredService<IMeterFactory>(), hub);

        metrics.ChunkProcessed(1600, 16000, TimeSpan.FromMilliseconds(2.5));
        metrics.ChunkProcessed(8000, 16000, TimeSpan.FromMilliseconds(4));
        hub.Publish(new WakeEvent("computer", "computer-1", 0.9f, 0.5f, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch));
        hub.Publish(new WakeEvent("computer", "computer-1", 0.8f, 0.5f, TimeSpan.FromSeconds(5), DateTimeOffset.UnixEpoch));
        hub.Publish(new WakeEvent("jarvis", "jarvis-1", 0.7f, 0.5f, TimeSpan.FromSeconds(9), DateTimeOffset.UnixEpoch));
        hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, "listening", DateTimeOffset.UnixEpoch));
        listener.RecordObservableInstruments();
        double listeningAfterStart = sums["wakeword.source.listening"];
        hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.DeviceLost, "lost", DateTimeOffset.UnixEpoch));
        listener.RecordObservableInstruments();

        Assert.Equal(0.6, sums["wakeword.audio.processed"], 9);
        Assert.Equal(2, chunkRecords);
        Assert.Equal(4.0, lastDuration, 9);
        Assert.Equal(2, wakesByWord["computer"]);
        Assert.Equal(1, wakesByWord["jarvis"]);
        Assert.Equal(1, listeningAfterStart);
        Assert.Equal(0, sums["wakeword.source.listening"]);
        Assert.Equal(0, sums["wakeword.pipe.clients"]); // no pipe observed
        Assert.Equal(0, sums["wakeword.pipe.dropped"]);
    }

    [Fact]
    public void CaptureDropsAndOverrunsAreReadFromTheObservedMicrophone()
    {
        using var metrics = new ServiceMetrics(services.GetRequiredService<IMeterFactory>(), hub);
        listener.RecordObservableInstruments();
        Assert.Equal(0, sums.GetValueOrDefault("wakeword.capture.dropped"));

        var microphone = new CountingMicrophone { DroppedSamples = 8000, Overruns = 3 };
        metrics.ObserveSource(microphone);
        sums.Clear();
        listener.RecordObservableInstruments();
        Assert.Equal(0.5, sums["wakeword.capture.dropped"], 9); // 8000 samples at 16 kHz
        Assert.Equal(3, sums["wakeword.capture.overruns"]);
    }

    /// <summary>Only the two counters the meter reads; a real microphone is covered end to end (CaptureEndToEndTests).</summary>
    private sealed class CountingMicrophone : ILiveAudioSource
    {
        public long DroppedSamples { get; init; }

        public long Overruns { get; init; }

        public IObservable<AudioSourceStatus> Status => System.Reactive.Linq.Observable.Never<AudioSourceStatus>();

        public int SampleRate => 16000;

        public string Description => "counting";

        public int Read(Span<float> buffer, CancellationToken cancellationToken) => 0;

        public void Dispose()
        {
        }
    }

    [Fact]
    public void ChunkProcessedAllocatesNothingWithAListenerAttached()
    {
        using var metrics = new ServiceMetrics(services.GetRequiredService<IMeterFactory>(), hub);
        for (int i = 0; i < 100; i++)
        {
            metrics.ChunkProcessed(1600, 16000, TimeSpan.FromMilliseconds(1));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            metrics.ChunkProcessed(1600, 16000, TimeSpan.FromMilliseconds(1));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(10_100, chunkRecords);
    }
}
