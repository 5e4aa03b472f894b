using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Service.Hub;
using WakeWord.Service.Metrics;

namespace WakeWord.Service.Tests.Metrics;

public sealed class ServiceMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceHub _hub = new();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, double> _sums = [];
    private readonly Dictionary<string, int> _wakesByWord = [];
    private double _lastDuration;
    private long _chunkRecords;

    public ServiceMetricsTests()
    {
        IMeterFactory factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's meter: other tests create meters of the same name in parallel.
            if (instrument.Meter.Name == ServiceMetrics.MeterName && instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "wakeword.chunk.duration")
            {
                _lastDuration = value;
                _chunkRecords++;
            }
            else
            {
                _sums[instrument.Name] = _sums.GetValueOrDefault(instrument.Name) + value;
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name != "wakeword.wake_events")
            {
                _sums[instrument.Name] = value;
                return;
            }

            string word = (string)tags[0].Value!;
            _wakesByWord[word] = _wakesByWord.GetValueOrDefault(word) + (int)value;
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _sums[instrument.Name] = value);
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _hub.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void AudioSecondsChunkTimesWakesByWordAndSourceStateAreMeasured()
    {
        using var metrics = new ServiceMetrics(_services.GetRequiredService<IMeterFactory>(), _hub);

        metrics.ChunkProcessed(1600, 16000, TimeSpan.FromMilliseconds(2.5));
        metrics.ChunkProcessed(8000, 16000, TimeSpan.FromMilliseconds(4));
        _hub.Publish(new WakeEvent("computer", "computer-1", 0.9f, 0.5f, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch));
        _hub.Publish(new WakeEvent("computer", "computer-1", 0.8f, 0.5f, TimeSpan.FromSeconds(5), DateTimeOffset.UnixEpoch));
        _hub.Publish(new WakeEvent("jarvis", "jarvis-1", 0.7f, 0.5f, TimeSpan.FromSeconds(9), DateTimeOffset.UnixEpoch));
        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, "listening", DateTimeOffset.UnixEpoch));
        _listener.RecordObservableInstruments();
        double listeningAfterStart = _sums["wakeword.source.listening"];
        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.DeviceLost, "lost", DateTimeOffset.UnixEpoch));
        _listener.RecordObservableInstruments();

        Assert.Equal(0.6, _sums["wakeword.audio.processed"], 9);
        Assert.Equal(2, _chunkRecords);
        Assert.Equal(4.0, _lastDuration, 9);
        Assert.Equal(2, _wakesByWord["computer"]);
        Assert.Equal(1, _wakesByWord["jarvis"]);
        Assert.Equal(1, listeningAfterStart);
        Assert.Equal(0, _sums["wakeword.source.listening"]);
        Assert.Equal(0, _sums["wakeword.pipe.clients"]); // no pipe observed
        Assert.Equal(0, _sums["wakeword.pipe.dropped"]);
    }

    [Fact]
    public void PipeClientsAndDroppedLinesAreReadFromTheHub()
    {
        using var metrics = new ServiceMetrics(_services.GetRequiredService<IMeterFactory>(), _hub);
        _hub.Pipe.ClientJoined();
        _hub.Pipe.ClientJoined();
        _hub.Pipe.ClientLeft();
        _hub.Pipe.LineDropped();
        _hub.Pipe.LineDropped();

        _listener.RecordObservableInstruments();

        Assert.Equal(1, _sums["wakeword.pipe.clients"]);
        Assert.Equal(2, _sums["wakeword.pipe.dropped"]);
    }

    [Fact]
    public void CaptureDropsAndOverrunsAreReadFromTheObservedMicrophone()
    {
        using var metrics = new ServiceMetrics(_services.GetRequiredService<IMeterFactory>(), _hub);
        _listener.RecordObservableInstruments();
        Assert.Equal(0, _sums.GetValueOrDefault("wakeword.capture.dropped"));

        var microphone = new CountingMicrophone { DroppedSamples = 8000, Overruns = 3 };
        metrics.ObserveSource(microphone);
        _sums.Clear();
        _listener.RecordObservableInstruments();
        Assert.Equal(0.5, _sums["wakeword.capture.dropped"], 9); // 8000 samples at 16 kHz
        Assert.Equal(3, _sums["wakeword.capture.overruns"]);
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
        using var metrics = new ServiceMetrics(_services.GetRequiredService<IMeterFactory>(), _hub);
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
        Assert.Equal(10_100, _chunkRecords);
    }
}
