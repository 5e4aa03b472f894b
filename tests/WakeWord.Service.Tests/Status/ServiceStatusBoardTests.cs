using Microsoft.Extensions.Time.Testing;
using WakeWord.Client.Protocol;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Service.Hub;
using WakeWord.Service.Status;

namespace WakeWord.Service.Tests.Status;

public sealed class ServiceStatusBoardTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ServiceHub _hub = new();

    [Fact]
    public void Before_the_source_reports_it_is_starting_and_not_listening()
    {
        using var board = new ServiceStatusBoard(_hub, _time);
        ServiceStatusMessage status = board.Snapshot("q");
        Assert.Equal(("starting", false, (DateTimeOffset?)null), (status.Source.State, status.Source.Listening, status.Source.Since));
        Assert.Equal(("q", 0.0, 0.0), (status.Id, status.UptimeS, status.AudioProcessedS));
        Assert.Empty(status.Events);
        Assert.Null(status.LastEvent);
    }

    [Fact]
    public void Counts_events_per_word_and_keeps_the_last()
    {
        using var board = new ServiceStatusBoard(_hub, _time);
        _hub.Publish(Wake("computer", 0.91f, 1));
        _hub.Publish(Wake("activate", 0.72f, 2));
        _hub.Publish(Wake("computer", 0.64f, 3));

        _hub.Pipe.ClientJoined();
        _hub.Pipe.ClientJoined();
        for (int i = 0; i < 5; i++)
        {
            _hub.Pipe.LineDropped();
        }

        ServiceStatusMessage status = board.Snapshot(null);
        Assert.Equal(2, status.Events["computer"]);
        Assert.Equal(1, status.Events["activate"]);
        Assert.Equal(("computer", 0.64f, Start.AddSeconds(3)), (status.LastEvent!.Word, status.LastEvent.Score, status.LastEvent.Time));
        Assert.Equal((2, 5L), (status.Clients, status.Dropped));
    }

    [Fact]
    public void Shows_the_latest_source_state_and_the_uptime_from_the_clock()
    {
        using var board = new ServiceStatusBoard(_hub, _time);
        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, "listening on alsa:default", Start));
        _time.Advance(TimeSpan.FromMinutes(90));
        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.DeviceLost, "capture device 'default' lost", _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(30));

        ServiceStatusMessage status = board.Snapshot(null);
        Assert.Equal(("device_lost", false, "capture device 'default' lost"), (status.Source.State, status.Source.Listening, status.Source.Message));
        Assert.Equal(Start.AddMinutes(90), status.Source.Since);
        Assert.Equal(5430.0, status.UptimeS, precision: 6);
        Assert.Equal(Start, status.Started);
    }

    [Fact]
    public void Lists_the_models_with_the_settings_in_force()
    {
        using var board = new ServiceStatusBoard(_hub, _time);
        var settings = new DetectorSettings(0.56f, 2, 0.9);
        _hub.SetModels([new LoadedModel("computer", "computer", "/m/computer.onnx", () => settings)]);
        Assert.Equal(("computer", 0.56f, 2, 0.9, "/m/computer.onnx"),
            board.Snapshot(null).Models.Select(m => (m.Id, m.Threshold, m.ConsecutiveSteps, m.RefractoryS, m.File)).Single());

        // A settings change is made on the detector alone; the next answer reads it from there.
        settings = new DetectorSettings(0.7f, 2, 0.9);
        Assert.Equal(0.7f, board.Snapshot(null).Models.Single().Threshold);
        Assert.Equal(["computer"], _hub.Words);
    }

    public void Dispose() => _hub.Dispose();

    private static WakeEvent Wake(string word, float score, int second) =>
        new(word, word, score, 0.5f, TimeSpan.FromSeconds(second), Start.AddSeconds(second));
}
