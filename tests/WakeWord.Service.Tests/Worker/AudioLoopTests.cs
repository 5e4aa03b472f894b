using System.Collections.Concurrent;
using System.Reactive.Subjects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Service.Hub;
using WakeWord.Service.Metrics;
using WakeWord.Service.Options;
using WakeWord.Service.Systemd;
using WakeWord.Service.Tests.Events;
using WakeWord.Service.Worker;

namespace WakeWord.Service.Tests.Worker;

/// <summary>The audio thread in process, with scripted sources: what it says, when it is started, how it ends.</summary>
public sealed class AudioLoopTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ModelScratch _scratch = new();
    private readonly ServiceHub _hub = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceMetrics _metrics;
    private readonly RecordingLogger<AudioLoop> _log = new();
    private readonly ModelSetHost _models;
    private readonly ConcurrentQueue<int> _stops = new();
    private readonly ConcurrentQueue<AudioSourceStatus> _statuses = new();
    private readonly ConcurrentQueue<WakeEvent> _events = new();

    public AudioLoopTests()
    {
        _scratch.Add("a.onnx", ModelScratch.Tiny);
        _metrics = new ServiceMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), _hub);
        _hub.Status.Subscribe(_statuses.Enqueue);
        _hub.Events.Subscribe(_events.Enqueue);
        _models = new ModelSetHost(_scratch.Root, _hub, _log);
        _models.Start(_scratch.Config(("a.onnx", 0.3f)));
    }

    public void Dispose()
    {
        _models.Dispose();
        _metrics.Dispose();
        _services.Dispose();
        _hub.Dispose();
        _scratch.Dispose();
    }

    [Theory]
    [InlineData(true, ServiceExitCode.Ok)]
    [InlineData(false, null)]
    public async Task A_file_listens_at_once_runs_every_sample_and_at_its_end_stops_only_when_told(bool exitAtEnd, int? expectedStop)
    {
        float[] word = ModelScratch.SpokenWord;
        using AudioLoop loop = Loop(new ScriptedSource(word), new AudioOptions { ExitAtEnd = exitAtEnd });

        loop.Start(CancellationToken.None);
        await loop.FirstState.WaitAsync(Deadline);
        await loop.Finished.WaitAsync(Deadline);

        Assert.Contains(_log.Lines, l => l == "Listening on scripted for \"computer\" (a)");
        // Listening, then ended: `wakeword status` must not go on saying "listening" about an input that is over.
        Assert.Equal([AudioSourceStatusKind.Listening, AudioSourceStatusKind.Ended], _statuses.Select(s => s.Kind));
        Assert.Equal(word.Length, _models.SamplesProcessed);
        Assert.NotEmpty(_events);
        Assert.Equal(expectedStop is int code ? [code] : [], _stops);
        Assert.Contains(_log.Lines, l => l.StartsWith("End of input from scripted after", StringComparison.Ordinal)
            && l.Contains(exitAtEnd ? "stopping" : "stays up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_source_stops_the_service_with_the_audio_exit_code_and_says_why()
    {
        using AudioLoop loop = Loop(new ScriptedSource(new float[1600]) { Failure = new AudioSourceException("device unplugged") }, new AudioOptions());

        loop.Start(CancellationToken.None);
        await loop.Finished.WaitAsync(Deadline);

        Assert.Equal([ServiceExitCode.Audio], _stops);
        Assert.Contains("Audio source failed: device unplugged", _log.Lines);
        Assert.True(loop.FirstState.IsCompleted);
    }

    [Fact]
    public async Task An_unexpected_error_stops_the_service_with_exit_code_1_and_is_logged_as_critical()
    {
        using AudioLoop loop = Loop(new ScriptedSource([]) { Failure = new InvalidOperationException("bug") }, new AudioOptions());

        loop.Start(CancellationToken.None);
        await loop.Finished.WaitAsync(Deadline);

        Assert.Equal([ServiceExitCode.Unexpected], _stops);
        Assert.Contains("The audio loop stopped on an unexpected error", _log.Lines);
    }

    [Fact]
    public async Task A_microphone_is_not_announced_as_listening_until_it_says_it_opened()
    {
        var mic = new ScriptedLiveSource();
        using AudioLoop loop = Loop(mic, new AudioOptions());
        using var stopping = new CancellationTokenSource();

        loop.Start(stopping.Token);
        await WaitFor(() => _log.Lines.Any(l => l.StartsWith("Opening microphone scripted-mic", StringComparison.Ordinal)));
        Assert.False(loop.FirstState.IsCompleted);
        Assert.DoesNotContain(_log.Lines, l => l.StartsWith("Listening", StringComparison.Ordinal));

        mic.Report(new AudioSourceStatus(AudioSourceStatusKind.Listening, "opened", DateTimeOffset.UnixEpoch));
        await loop.FirstState.WaitAsync(Deadline);
        Assert.Contains("Listening on scripted-mic for \"computer\" (a)", _log.Lines);
        Assert.Equal(AudioSourceStatusKind.Listening, Assert.Single(_statuses).Kind);

        // Stopping while it waits for audio ends the thread without an exit code of its own.
        await stopping.CancelAsync();
        await loop.Finished.WaitAsync(Deadline);
        Assert.Empty(_stops);
    }

    [Fact]
    public async Task Each_chunk_is_counted_for_the_watchdog_and_the_metrics()
    {
        var health = new AudioLoopHealth(new FakeTimeProvider());
        using AudioLoop loop = new(new ScriptedSource(new float[16000 * 3]), _models, new AudioOptions(), _hub, health, _metrics, _log, _stops.Enqueue);

        loop.Start(CancellationToken.None);
        await loop.Finished.WaitAsync(Deadline);

        Assert.Equal(3.0, _metrics.AudioSecondsProcessed, precision: 6);
        Assert.Null(health.Hung(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_microphone_that_says_it_listens_is_expected_to_deliver_audio_until_it_is_lost()
    {
        var time = new FakeTimeProvider();
        var health = new AudioLoopHealth(time);
        var mic = new ScriptedLiveSource();
        using AudioLoop loop = new(mic, _models, new AudioOptions(), _hub, health, _metrics, _log, _stops.Enqueue);

        mic.Report(new AudioSourceStatus(AudioSourceStatusKind.Listening, "opened", DateTimeOffset.UnixEpoch));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.NotNull(health.Hung(TimeSpan.FromSeconds(30)));   // listening, yet silent: hung

        mic.Report(new AudioSourceStatus(AudioSourceStatusKind.DeviceLost, "unplugged", DateTimeOffset.UnixEpoch));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(health.Hung(TimeSpan.FromSeconds(30)));      // waiting for its device: not hung
    }

    private AudioLoop Loop(IAudioSource source, AudioOptions options) =>
        new(source, _models, options, _hub, new AudioLoopHealth(TimeProvider.System), _metrics, _log, _stops.Enqueue);

    private static async Task WaitFor(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>A file-like source: these samples in 100 ms chunks, then the end (or <see cref="Failure"/>).</summary>
    private class ScriptedSource(float[] samples) : IAudioSource
    {
        private int _position;

        public Exception? Failure { get; init; }

        public int SampleRate => 16000;

        public virtual string Description => "scripted";

        public bool Disposed { get; private set; }

        public virtual int Read(Span<float> destination, CancellationToken cancellationToken)
        {
            int n = Math.Min(destination.Length, samples.Length - _position);
            if (n == 0 && Failure is not null)
            {
                throw Failure;
            }

            samples.AsSpan(_position, n).CopyTo(destination);
            _position += n;
            return n;
        }

        public void Dispose() => Disposed = true;
    }

    /// <summary>A microphone that delivers nothing: its reads wait until the loop is stopped.</summary>
    private sealed class ScriptedLiveSource() : ScriptedSource([]), ILiveAudioSource
    {
        private readonly Subject<AudioSourceStatus> _status = new();

        public override string Description => "scripted-mic";

        public IObservable<AudioSourceStatus> Status => _status;

        public long DroppedSamples => 0;

        public long Overruns => 0;

        public void Report(AudioSourceStatus s) => _status.OnNext(s);

        public override int Read(Span<float> destination, CancellationToken cancellationToken)
        {
            cancellationToken.WaitHandle.WaitOne();
            cancellationToken.ThrowIfCancellationRequested();
            return 0;
        }
    }
}
