using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Service.Hub;
using WakeWord.Service.Tests.Events;

namespace WakeWord.Service.Tests.Hub;

/// <summary>The hub is where the service's changes enter: it logs wake events and keeps observers' failures from publishers.</summary>
public sealed class ServiceHubTests : IDisposable
{
    private readonly RecordingLogger<ServiceHub> _log = new();
    private readonly ServiceHub _hub;

    public ServiceHubTests() => _hub = new ServiceHub(_log);

    public void Dispose() => _hub.Dispose();

    [Fact]
    public void A_wake_event_is_logged_before_any_observer_sees_it()
    {
        var seen = new List<int>();
        using IDisposable observer = _hub.Events.Subscribe(_ => seen.Add(_log.Lines.Count));

        _hub.Publish(new WakeEvent("computer", "computer", 0.9f, 0.5f, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch));

        Assert.StartsWith("Wake word \"computer\" detected", Assert.Single(_log.Lines), StringComparison.Ordinal);
        Assert.Equal([1], seen);
    }

    [Fact]
    public void An_observer_that_throws_is_logged_and_the_publisher_goes_on()
    {
        using IDisposable bad = _hub.Status.Subscribe(_ => throw new InvalidOperationException("observer bug"));
        using IDisposable badModels = _hub.ModelsReloaded.Subscribe(_ => throw new InvalidOperationException("observer bug"));

        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, "listening", DateTimeOffset.UnixEpoch));
        _hub.Publish(new ModelSetChange(["computer"], "reloaded", DateTimeOffset.UnixEpoch));

        Assert.Equal(2, _log.Lines.Count(l => l.StartsWith("A wake-event subscriber failed", StringComparison.Ordinal)));
        Assert.Equal(["computer"], _hub.Words);
    }

    [Fact]
    public void The_models_show_their_detectors_settings_as_they_are_now()
    {
        var settings = new DetectorSettings(0.5f);
        _hub.SetModels([new LoadedModel("computer", "computer", "/m/computer.onnx", () => settings)]);

        settings = new DetectorSettings(0.8f, 2, 1.5);

        Assert.Equal(settings, Assert.Single(_hub.Models).Settings);
        Assert.Equal(["computer"], _hub.Words);
    }
}
